-- Blocking for the name matcher: per kecamatan of the region that has participants to match by name, those
-- participants (role 'participant') and every registered business located there (role 'business'), each with
-- its normalised name (macro event_name_key). int_event_names_scored compares names only within a block.
-- Participants matched by a registered NIB, or whose kecamatan is unknown, are not in any block.
with participants as (select * from {{ ref('int_event_participants_deduplicated') }}),
businesses as (select * from {{ ref('int_msme_businesses_classified') }}),

to_match as (
    select participant_id as record_id, kecamatan_code, business_name_key as name_key
    from participants
    where not nib_registered and kecamatan_code is not null and business_name_key is not null
),

candidates as (
    select nib as record_id, kecamatan_code, {{ event_name_key('business_name') }} as name_key
    from businesses
    where {{ in_region('regency_code') }}
        and kecamatan_code in (select kecamatan_code from to_match)
)

select 'participant' as role, record_id, kecamatan_code, name_key from to_match
union all
select 'business' as role, record_id, kecamatan_code, name_key from candidates where name_key is not null
