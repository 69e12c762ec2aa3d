"""How the desk is doing, week by week: ticket volumes, response times, chat outcomes and feedback.

Every figure is counted over what the reader may see (helpdesk.accounts.access): a JST agent's
figures come from JST's tickets and the chat questions routed to JST only.
"""
from .figures import CHARTS, Chart, Series, dashboard

__all__ = ["CHARTS", "Chart", "Series", "dashboard"]
