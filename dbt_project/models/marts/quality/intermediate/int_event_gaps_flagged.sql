-- One row per data gap of the events source: participants the curation team must follow up because no
-- registered business (NIB) was found for them (marts.event_permit_followup), and event dates before 1945
-- (an attendance list may be sent before its event: future dates are not gaps).
-- A typed NIB that is not 13 digits ("belum ada", "proses") is not flagged separately: the participant is
-- already in the follow-up list.
with followup as (select * from {{ ref('event_permit_followup') }}),
events as (
    select *, 'Kegiatan ' || event_name || ' (' || strftime(start_date, '%d-%m-%Y') || ')' as record_label
    from {{ ref('stg_events__events') }}
)

select
    'events' as source, 'participant' as entity, participant_id as record_key,
    'Peserta ' || coalesce(business_name, '?') || ', ' || event_name || ' ' || strftime(start_date, '%d-%m-%Y')
        as record_label,
    'participant_without_permit' as gap_type, 'nib' as column_name, reason as value, message as detail,
    source_path, source_row
from followup

union all
{{ quality_date_gaps('events', 'events', 'event', 'event_id', 'record_label', 'start_date', 'tanggal_mulai',
                     future=false) }}
union all
{{ quality_date_gaps('events', 'events', 'event', 'event_id', 'record_label', 'end_date', 'tanggal_selesai',
                     future=false) }}
