select record, reason from stage where reason is not null order by record;
