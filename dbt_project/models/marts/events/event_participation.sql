-- One row per event: groups, distinct MSMEs, partners, and how many of the MSMEs hold a business permit.
with events as (select * from {{ ref('stg_events__events') }}),
listings as (select * from {{ ref('stg_events__participants') }} where event_id is not null),
partners as (select * from {{ ref('stg_events__partners') }} where event_id is not null),
matched as (select * from {{ ref('int_event_participants_matched') }}),

listing_counts as (
    select
        event_id,
        count(*) as listings,
        count(distinct group_key) as groups,
        count(distinct msme_key) as msmes
    from listings
    group by event_id
),

match_counts as (
    select
        event_id,
        count(*) filter (where has_permit) as msmes_with_permit,
        count(*) filter (where match_method = 'nib') as msmes_matched_by_nib,
        count(*) filter (where match_method = 'name') as msmes_matched_by_name,
        count(*) filter (where match_method = 'none') as msmes_without_permit,
        count(*) filter (where match_method = 'ambiguous') as msmes_needing_review
    from matched
    group by event_id
),

partner_counts as (
    select event_id, count(distinct partner_key) as partners
    from partners
    group by event_id
)

select
    events.event_id,
    events.event_name as name,
    events.start_date,
    events.end_date,
    events.venue,
    events.organiser,
    coalesce(listing_counts.groups, 0) as groups,
    coalesce(listing_counts.msmes, 0) as msmes,
    coalesce(partner_counts.partners, 0) as partners,
    coalesce(match_counts.msmes_with_permit, 0) as msmes_with_permit,
    round(match_counts.msmes_with_permit / nullif(listing_counts.msmes, 0), 4) as share_with_permit,
    coalesce(match_counts.msmes_needing_review, 0) as msmes_needing_review,
    coalesce(match_counts.msmes_without_permit, 0) as msmes_without_permit,
    coalesce(match_counts.msmes_matched_by_nib, 0) as msmes_matched_by_nib,
    coalesce(match_counts.msmes_matched_by_name, 0) as msmes_matched_by_name,
    coalesce(listing_counts.listings, 0) as listings,
    events.files as source_files,
    events.source_path
from events
left join listing_counts using (event_id)
left join match_counts using (event_id)
left join partner_counts using (event_id)
