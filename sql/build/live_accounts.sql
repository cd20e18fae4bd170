-- live_accounts: account rows of live loads (one per account per load).
select
    a.account_id,
    a.load_id,
    a.handle,
    a.display_name,
    a.created_on,
    a.category
from accounts as a
join loads as l using (load_id)
where l.status = 'loaded'
