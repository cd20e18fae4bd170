-- pair_evidence: every co-action of two accounts (either order), optionally of one behaviour,
-- with the text of both posts (original posts only carry text in the build's reads).
with ev as (
    select *
    from coactivity_events
    where account_a = least($a, $b)
      and account_b = greatest($a, $b)
      and ($behavior::varchar is null or behavior = $behavior::varchar)
),
texts as (
    select post_id, any_value(text) as text
    from posts
    where post_id in (select a_post_id from ev union select b_post_id from ev)
    group by post_id
)
select ev.*, ta.text as a_text, tb.text as b_text
from ev
left join texts as ta on ta.post_id = ev.a_post_id
left join texts as tb on tb.post_id = ev.b_post_id
order by ev.behavior, least(ev.a_at, ev.b_at), ev.target
