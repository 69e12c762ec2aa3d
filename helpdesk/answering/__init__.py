"""Chat answers composed from the corpus (no external LLM), and the conversations they belong to.

    from helpdesk.answering import ask
    result = ask("ASPIREの締切を延ばせますか")   # → the JSON shape of POST /api/v1/ask
"""
