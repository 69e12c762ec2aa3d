"""Chat answers composed from the corpus (no external LLM), and the conversations they belong to.

    from helpdesk.answering.service import ask
    ask("ASPIREの締切を延ばせますか").payload   # → the JSON shape of POST /api/v1/ask
"""
