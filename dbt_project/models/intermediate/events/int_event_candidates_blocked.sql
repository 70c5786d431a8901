-- Blocking for the name matcher: the participants to look up (role 'participant') with their block (the
-- located kecamatan, NULL = the whole region) and the registered NIBs their typed NIB points at, and every
-- registered business of the region (role 'business', block = its kecamatan) plus any business such a NIB
-- names elsewhere. int_event_names_scored compares names only within a block and with the NIB's businesses.
with participants as (select * from {{ ref('int_event_participants_deduplicated') }}),
businesses as (select * from {{ ref('int_msme_businesses_classified') }}),
registered as (select nib from businesses),

-- A typed NIB one digit wrong or with two adjacent digits swapped: every such variant of it.
typed_nibs as (
    select participant_id, nib from participants where nib is not null and business_name_key is not null
),

nib_variants as (
    select participant_id, nib as typed_nib, 0 as distance, nib as variant from typed_nibs
    union all
    select participant_id, nib, 1, substr(nib, 1, position - 1) || digit || substr(nib, position + 1)
    from typed_nibs,
        range(1, 14) as positions (position),
        range(0, 10) as digits (digit_value),
        lateral (select digit_value::varchar as digit)
    where substr(nib, position, 1) <> digit
    union all
    select participant_id, nib, 1,
        substr(nib, 1, position - 1) || substr(nib, position + 1, 1) || substr(nib, position, 1)
        || substr(nib, position + 2)
    from typed_nibs, range(1, 13) as positions (position)
    where substr(nib, position, 1) <> substr(nib, position + 1, 1)
),

-- The typed NIB itself when registered; else its registered neighbours.
nib_candidates as (
    select participant_id, list(variant order by distance, variant) as nib_candidates
    from (
        select *, min(distance) over (partition by participant_id) as nearest
        from nib_variants
        where variant in (select nib from registered)
    )
    where distance = nearest
    group by participant_id
),

to_match as (
    select participants.participant_id as record_id, participants.kecamatan_code as block,
        participants.business_name as name, nib_candidates.nib_candidates
    from participants
    left join nib_candidates using (participant_id)
    where participants.business_name_key is not null
),

candidates as (
    select nib as record_id, kecamatan_code as block, business_name as name
    from businesses
    where business_name is not null
        and ({{ in_region('regency_code') }}
            or nib in (select unnest(nib_candidates) from to_match))
)

select 'participant' as role, record_id, block, name, nib_candidates from to_match
union all
select 'business' as role, record_id, block, name, null::varchar[] as nib_candidates from candidates
