"""Imports every area's SQLAlchemy models so that migrations and `db` see all tables."""
from .accounts import models as accounts_models  # noqa: F401,E402
from .answering import models as answering_models  # noqa: F401,E402
from .audit import models as audit_models  # noqa: F401,E402
from .curation import models as curation_models  # noqa: F401,E402
from .mail import models as mail_models  # noqa: F401,E402
from .tickets import models as tickets_models  # noqa: F401,E402
from .triage import models as triage_models  # noqa: F401,E402
