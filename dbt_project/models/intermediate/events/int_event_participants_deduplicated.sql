-- One row per MSME per event (the event's listings of one msme_key pooled), located to a Kemendagri kecamatan
-- of the region, with whether its typed NIB is a registered business. The input of the matcher.
with listings as (
    select *
    from {{ ref('stg_events__participants') }}
    where event_id is not null and msme_key is not null
),

regions as (select * from {{ ref('stg_reference__regions') }}),
registered as (select nib from {{ ref('int_msme_businesses_classified') }}),

-- The participant's kecamatan key matches a kecamatan name of the region (unique within the region) ...
kecamatan_names as ({{ region_names_unique_in_region('regions', 'kecamatan') }}),

-- ... or, when people wrote their kelurahan instead ("Sepinggan"), a kelurahan name unique within the region.
kelurahan_names as ({{ region_names_unique_in_region('regions', 'desa_kelurahan') }}),

ranked as (
    select
        *,
        row_number() over (partition by event_id, msme_key order by source_path, source_sheet, source_row)
            as listing_rank
    from listings
),

pooled as (
    select
        event_id,
        msme_key,
        count(*) as listings,
        list(distinct group_key order by group_key) filter (where group_key is not null) as group_keys,
        arg_min(kecamatan_key, listing_rank) filter (where kecamatan_key is not null) as kecamatan_key,
        arg_min(kecamatan_typed, listing_rank) filter (where kecamatan_key is not null) as kecamatan_typed,
        arg_min(product, listing_rank) filter (where product is not null) as product,
        any_value(nib) filter (where nib is not null) as nib
    from ranked
    group by event_id, msme_key
),

first_listing as (
    select * from ranked where listing_rank = 1
)

select
    md5(pooled.event_id || '|' || pooled.msme_key) as participant_id,
    pooled.event_id,
    pooled.msme_key,
    first_listing.business_name,
    first_listing.business_name_key,
    first_listing.group_name,
    pooled.group_keys,
    pooled.product,
    pooled.kecamatan_typed,
    pooled.kecamatan_key,
    coalesce(kecamatan_names.kecamatan_code, kelurahan_names.kecamatan_code) as kecamatan_code,
    {{ first_known_basis([('kecamatan_names.kecamatan_code', 'kecamatan'),
                          ('kelurahan_names.kecamatan_code', 'kelurahan')]) }} as kecamatan_basis,
    pooled.nib,
    pooled.nib is not null and pooled.nib in (select nib from registered) as nib_registered,
    pooled.listings,
    first_listing.source_path,
    first_listing.source_sheet,
    first_listing.source_row
from pooled
inner join first_listing using (event_id, msme_key)
left join kecamatan_names on kecamatan_names.name_key = {{ place_key('pooled.kecamatan_key') }}
left join kelurahan_names on kelurahan_names.name_key = {{ place_key('pooled.kecamatan_key') }}
