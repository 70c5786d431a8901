-- Event x scale x KBLI category of the matched participants' registered businesses.
with events as (select * from {{ ref('stg_events__events') }}),
matched as (select * from {{ ref('int_event_participants_matched') }} where has_permit),
kbli as (select * from {{ ref('stg_reference__kbli') }} where kbli_level = 'kategori')

select
    matched.event_id,
    events.event_name as name,
    events.start_date,
    matched.scale,
    coalesce(matched.kbli_category, 'tidak_diketahui') as kbli_category,
    coalesce(kbli.kbli_title, 'Tidak diketahui') as kbli_category_title,
    count(*) as msmes
from matched
inner join events using (event_id)
left join kbli on kbli.kbli_code = matched.kbli_category
group by all
