-- account_graph: pairs of accounts linked by more shared activity than chance.
-- grain: one row per linked pair; key: (account_a, account_b), account_a < account_b.
-- weight = content_surprise + support_surprise; surprises are -log10 probabilities under the
-- configuration-model null (see sockpuppet/detect/account_graph.py).
create or replace table account_graph (
    account_a         varchar not null,
    account_b         varchar not null,
    weight            double not null,   -- edge weight Leiden clusters on
    content_surprise  double not null,   -- sum over behaviours of w * -log10 P(X >= shared)
    top_surprise      double not null,   -- the strongest single behaviour's share of it
    support_surprise  double not null,   -- rare shared client app / creation-day batch
    shared_targets    bigint not null,   -- shared target-days (a target once per day), all behaviours
    behaviors         varchar[],         -- behaviours carrying the edge, strongest first
    supports          varchar[]          -- non-content traces shared: client, creation_batch
);
