"""Where the repository's data folders live (the checkout is the deployment unit)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "corpus"
ROUTING_DIR = ROOT / "routing"
TEMPLATES_DIR = ROOT / "templates"
DEFAULT_INSTANCE_DIR = ROOT / "instance"
TRANSLATIONS_DIR = ROOT / "translations"
