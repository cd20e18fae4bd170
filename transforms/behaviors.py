"""The co-activity behaviours, by name (a module of its own: settings import it without polars)."""

BEHAVIORS = ("co_retweet", "co_reply", "co_url", "co_text", "co_hashtag", "co_burst")
