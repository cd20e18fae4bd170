-- profile_input: the account_timeline columns account_profile is derived from.
select account_id, day, posts, clients, handles, display_names, first_at, last_at
from account_timeline
