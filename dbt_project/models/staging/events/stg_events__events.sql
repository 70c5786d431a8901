-- One row per event (start date + name). Several files may describe the same event (one attendance list per
-- day, a corrected list): their participants are pooled downstream; the header (end date, venue, organiser)
-- comes from the newest file (export date, then path).
with info as (
    select
        *,
        {{ event_id('nama_kegiatan', 'tanggal_mulai') }} as event_id,
        count(*) over (partition by _path) as events_in_file
    from {{ source('events', 'event_info') }}
),

ranked as (
    select
        *,
        row_number() over (partition by event_id order by _file_date desc nulls last, _path desc, _row_number)
            as file_rank,
        count(distinct _path) over (partition by event_id) as files
    from info
)

select
    event_id,
    nama_kegiatan as event_name,
    tanggal_mulai as start_date,
    coalesce(tanggal_selesai, tanggal_mulai) as end_date,
    tanggal_selesai is null as end_date_missing,
    tempat as venue,
    penyelenggara as organiser,
    files,
    events_in_file > 1 as file_lists_several_events,
    {{ source_columns(columns=['path', 'sheet', 'row']) }}
from ranked
where file_rank = 1
