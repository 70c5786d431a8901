-- One row per MSME across events: the matched registered business (NIB), else the participant's own key.
-- Repeat participation = events_attended >= 2. Codes (scale, KBLI category, sector group, kecamatan) with labels.
with events as (select * from {{ ref('stg_events__events') }}),
matched as (select * from {{ ref('int_event_participants_matched') }}),

identified as (
    select
        coalesce('NIB:' || matched.matched_nib, matched.msme_key) as msme_id,
        matched.*,
        events.event_name,
        events.start_date
    from matched
    inner join events using (event_id)
),

-- One row per MSME and event (a business listed once with its NIB and once by name is one attendance).
attendances as (
    select
        msme_id,
        event_id,
        any_value(event_name) as event_name,
        any_value(start_date) as start_date,
        any_value(matched_nib) as matched_nib,
        coalesce(any_value(registered_name), min(business_name)) as business_name,
        coalesce(any_value(registered_kecamatan_code), min(kecamatan_code)) as kecamatan_code,
        -- Listed with its NIB and by name at one event: the NIB link is the stronger one.
        case when bool_or(match_method = 'nib') then 'nib' else any_value(match_method) end as match_method,
        bool_or(has_permit) as has_permit,
        any_value(scale) as scale,
        any_value(kbli_category) as kbli_category,
        any_value(sector_group) as sector_group,
        list_distinct(flatten(list(group_keys))) as group_keys
    from identified
    group by msme_id, event_id
),

msme_summary as (
    select
        msme_id,
        any_value(matched_nib) as nib,
        arg_max(business_name, start_date) as business_name,
        arg_max(kecamatan_code, start_date) as kecamatan_code,
        arg_max(match_method, start_date) as match_method,
        bool_or(has_permit) as has_permit,
        any_value(scale) as scale,
        any_value(kbli_category) as kbli_category,
        any_value(sector_group) as sector_group,
        count(*) as events_attended,
        count(*) >= 2 as is_repeat_participant,
        min(start_date) as first_event_date,
        max(start_date) as last_event_date,
        list(event_name order by start_date, event_id) as event_names,
        list(event_id order by start_date, event_id) as event_ids,
        list_sort(list_distinct(flatten(list(group_keys)))) as groups
    from attendances
    group by msme_id
)

-- Each code with its Indonesian label (macro msme_code_label; kecamatan by its official Kemendagri name).
select
    msme_summary.msme_id,
    msme_summary.nib,
    msme_summary.business_name,
    msme_summary.kecamatan_code,
    regions.region_name as kecamatan_name,
    msme_summary.match_method,
    msme_summary.has_permit,
    msme_summary.scale,
    {{ msme_code_label('scale', 'msme_summary.scale') }} as scale_label,
    msme_summary.kbli_category,
    {{ msme_code_label('kbli_category', 'msme_summary.kbli_category') }} as kbli_category_label,
    msme_summary.sector_group,
    {{ msme_code_label('sector_group', 'msme_summary.sector_group') }} as sector_group_label,
    msme_summary.events_attended,
    msme_summary.is_repeat_participant,
    msme_summary.first_event_date,
    msme_summary.last_event_date,
    msme_summary.event_names,
    msme_summary.event_ids,
    msme_summary.groups
from msme_summary
left join {{ ref('stg_reference__regions') }} as regions
    on regions.region_code = msme_summary.kecamatan_code and regions.region_level = 'kecamatan'
