"""`helpdesk eval`: quality measured on question files (tests/data/dev_questions.jsonl format).

Each area contributes a section: a function taking the questions and returning tables
(`helpdesk.evaluation.tables.Table`), listed in `sections.SECTIONS`.
"""
