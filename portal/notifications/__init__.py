"""Mail: SMTP when PORTAL_SMTP_URL is set, otherwise an outbox the panel can show."""
