"""What an operator watches: Prometheus metrics, request ids and JSON logs."""
