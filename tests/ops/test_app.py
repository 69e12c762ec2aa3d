def test_health(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_secret_key_is_generated_in_instance_not_constant(app):
    from pathlib import Path

    key_file = Path(app.instance_path) / "secret_key"
    assert app.config["SECRET_KEY"]
    assert len(app.config["SECRET_KEY"]) >= 32
    assert key_file.exists() or "SECRET_KEY" in __import__("os").environ
