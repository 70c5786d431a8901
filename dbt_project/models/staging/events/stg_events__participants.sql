-- One row per listed participant (valid landed row), linked to its event through the file it came from, with
-- the normalised keys of macros/events.sql. A file must name exactly one event for its rows to be linked;
-- otherwise event_id is NULL (a data gap, tested). No personal data: owner names never land, phones only as
-- a validity flag.
with participants as (select * from {{ source('events', 'event_participant') }}),
info as (select * from {{ source('events', 'event_info') }}),
region as ({{ event_region_city() }}),

file_events as ({{ event_file_events('info') }})

select
    file_events.event_id,
    participants._path || ' | ' || participants._sheet || ' | ' || participants._row_number as listing_id,
    participants.nama_usaha as business_name,
    {{ event_name_key('participants.nama_usaha') }} as business_name_key,
    participants.kelompok_komunitas as group_name,
    {{ event_group_key('participants.kelompok_komunitas') }} as group_key,
    participants.produk as product,
    participants.kecamatan as kecamatan_typed,
    {{ event_kecamatan_key('participants.kecamatan', 'region.city') }} as kecamatan_key,
    participants.nib,
    participants.no_hp_valid as phone_valid,
    {{ event_msme_key('participants.nama_usaha', 'participants.kecamatan', 'participants.nib', 'region.city') }}
        as msme_key,
    {{ source_columns('participants') }}
from participants
cross join region
left join file_events using (_path)
