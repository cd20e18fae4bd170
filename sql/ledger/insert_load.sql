insert into loads values (
    $load_id, $source_key, $path, $member, $sha256, $layout, $release, $rows_read, $rows_loaded,
    $rows_quarantined, $status, $message, $started_at, $finished_at, $seconds
);
