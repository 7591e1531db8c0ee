"""The city's back-office systems: signed outbound events (webhooks) and how to check them."""
