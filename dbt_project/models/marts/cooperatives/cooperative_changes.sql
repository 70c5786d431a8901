-- What changed between the last two data updates of each kab/kota in the configured region: one row per
-- cooperative, kab/kota and change type (a cooperative that moved kab/kota is compared in each of them). A regency
-- with a single update has no changes yet.
with history as (select * from {{ ref('cooperative_history') }}),

latest as (select * from history where updates_since = 0),
previous as (select * from history where updates_since = 1),
regency_pairs as (
    select distinct regency_code, update_date, previous_update_date
    from latest
    where previous_update_date is not null
),

compared as (
    select
        regency_pairs.regency_code,
        regency_pairs.previous_update_date,
        regency_pairs.update_date,
        coalesce(latest.cooperative_number, previous.cooperative_number) as cooperative_number,
        coalesce(latest.cooperative_name, previous.cooperative_name) as cooperative_name,
        latest.cooperative_number is not null as in_latest,
        previous.cooperative_number is not null as in_previous,
        previous.is_active as was_active,
        latest.is_active,
        previous.kecamatan_code as previous_kecamatan_code,
        previous.kecamatan_official_name as previous_kecamatan_name,
        latest.kecamatan_code,
        latest.kecamatan_official_name as kecamatan_name,
        previous.jenis as previous_jenis,
        latest.jenis,
        coalesce(latest.source_path, previous.source_path) as source_path,
        coalesce(latest.source_row, previous.source_row) as source_row
    from latest
    full outer join previous
        on previous.regency_code = latest.regency_code
        and previous.cooperative_number = latest.cooperative_number
    inner join regency_pairs
        on regency_pairs.regency_code = coalesce(latest.regency_code, previous.regency_code)
),

changes as (
    select *, 'new' as change_type, null::varchar as value_before, null::varchar as value_after
    from compared where in_latest and not in_previous
    union all
    select *, 'missing_from_update', null, null
    from compared where in_previous and not in_latest
    union all
    select *, 'became_inactive', 'aktif', 'tidak_aktif'
    from compared where in_latest and in_previous and was_active and not is_active
    union all
    select *, 'reactivated', 'tidak_aktif', 'aktif'
    from compared where in_latest and in_previous and not was_active and is_active
    union all
    select *, 'moved_kecamatan', previous_kecamatan_name, kecamatan_name
    from compared where in_latest and in_previous and kecamatan_code <> previous_kecamatan_code
    union all
    select *, 'changed_jenis', previous_jenis, jenis
    from compared
    where in_latest and in_previous and jenis <> previous_jenis
        and 'tidak_diketahui' not in (jenis, previous_jenis)
)

select
    cooperative_number,
    change_type,
    {{ coop_code_label('change_type', 'changes.change_type') }} as change_type_label,
    value_before,
    value_after,
    cooperative_name,
    regency_code,
    previous_update_date,
    update_date,
    coalesce(kecamatan_code, previous_kecamatan_code) as kecamatan_code,
    coalesce(kecamatan_name, previous_kecamatan_name) as kecamatan_official_name,
    coalesce(jenis, previous_jenis) as jenis,
    {{ coop_jenis_label('coalesce(changes.jenis, changes.previous_jenis)') }} as jenis_label,
    is_active,
    source_path,
    source_row
from changes
