-- Event x scale x KBLI category of the matched participants' registered businesses, each code with its label.
with events as (select * from {{ ref('stg_events__events') }}),
matched as (select * from {{ ref('int_event_participants_matched') }} where has_permit),

segments as (
    select
        matched.event_id,
        events.event_name as name,
        events.start_date,
        matched.scale,
        coalesce(matched.kbli_category, 'tidak_diketahui') as kbli_category,
        count(*) as msmes
    from matched
    inner join events using (event_id)
    group by all
)

select
    event_id,
    name,
    start_date,
    scale,
    {{ msme_code_label('scale', 'scale') }} as scale_label,
    kbli_category,
    {{ msme_code_label('kbli_category', 'kbli_category') }} as kbli_category_label,
    -- Deprecated alias of kbli_category_label (the name before issue 12).
    {{ msme_code_label('kbli_category', 'kbli_category') }} as kbli_category_title,
    msmes
from segments
