"""cc-analysis: quarterly customer insight from feedback, interviews and CRM data."""
__version__ = "0.1.0"
