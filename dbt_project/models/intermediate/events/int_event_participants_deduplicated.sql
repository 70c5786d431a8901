-- One row per MSME per event (the event's listings of one msme_key pooled), located to a Kemendagri kecamatan
-- of the region as people write places, with whether its typed NIB is a registered business. The matcher's input.
with listings as (
    select *
    from {{ ref('stg_events__participants') }}
    where event_id is not null and msme_key is not null
),

regions as (select * from {{ ref('stg_reference__regions') }}),
registered as (select nib from {{ ref('int_msme_businesses_classified') }}),

-- Place names of the region a typed part can be: kecamatan names, and kelurahan names (people write their
-- kelurahan, "Sepinggan") giving that kelurahan's kecamatan; each only when unique within the region.
place_names as (
    select name_key, kecamatan_code, 'kecamatan' as level
    from ({{ region_names_unique_in_region('regions', 'kecamatan') }})
    union all
    select name_key, kecamatan_code, 'kelurahan' as level
    from ({{ region_names_unique_in_region('regions', 'desa_kelurahan') }})
),

place_words as (
    select map(list(typed), list(coalesce(written_as, ''))) as words
    from {{ ref('event_name_variants') }}
    where applies_to = 'place' and match = 'token'
),

city as ({{ event_region_city() }}),

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
),

-- "Gn. Samarinda, Balikpapan Utara", "Bpp Tengah (Karang Rejo)": each part separately, its words expanded
-- (seed event_name_variants, applies_to place: Sltn -> SELATAN, Gn -> GUNUNG, Kec/Kel dropped), a lone
-- direction word given the region's city ("Utara" -> BALIKPAPAN UTARA).
typed_parts as (
    select event_id, msme_key, part_index, {{ place_key('part') }} as part_key
    from (
        select
            pooled.event_id,
            pooled.msme_key,
            generate_subscripts(parts, 1) as part_index,
            unnest(parts) as part
        from (
            select
                pooled.*,
                list_transform(
                    string_split(regexp_replace(upper(coalesce(pooled.kecamatan_typed, '')), '[(),;/]', '|', 'g'), '|'),
                    lambda p: list_transform([list_filter(
                        list_transform(string_split(trim(regexp_replace(p, '[^A-Z0-9]+', ' ', 'g')), ' '),
                            lambda t: coalesce(place_words.words[t], t)),
                        lambda t: t <> '')],
                        lambda ts: case
                            when len(ts) = 1 and ts[1] in ('TIMUR', 'BARAT', 'UTARA', 'TENGAH', 'SELATAN', 'KOTA')
                                and city.city is not null then city.city || ' ' || ts[1]
                            else array_to_string(ts, ' ') end)[1]) as parts
            from pooled cross join place_words cross join city
        ) as pooled
    )
    where part <> ''
),

-- Each distinct typed part against the region's names (attendance lists repeat the same few place spellings:
-- comparing each once keeps the fuzzy join small): exactly, else by spelling (Jaro-Winkler at least 0.93 and
-- at most two edits: "Balikpapan Tenggah"; "Klandasan" for Klandasan Ilir/Ulu is not unique and stays
-- unlocated). Preference: a kecamatan name, exactly, then a kelurahan exactly, then the closest spelling.
part_hits as (
    select
        parts.part_key,
        place_names.kecamatan_code,
        place_names.level,
        parts.part_key = place_names.name_key as exact,
        jaro_winkler_similarity(parts.part_key, place_names.name_key) as similarity
    from (select distinct part_key from typed_parts) as parts
    inner join place_names
        on parts.part_key = place_names.name_key
        or (length(parts.part_key) >= 5
            and jaro_winkler_similarity(parts.part_key, place_names.name_key) >= 0.93
            and damerau_levenshtein(parts.part_key, place_names.name_key) <= 2)
),

place_hits as (
    select
        typed_parts.event_id,
        typed_parts.msme_key,
        part_hits.kecamatan_code,
        part_hits.level,
        part_hits.exact,
        part_hits.similarity,
        typed_parts.part_index
    from typed_parts
    inner join part_hits using (part_key)
),

located as (
    select
        event_id,
        msme_key,
        -- A tie between two kecamatan at the best rank locates nothing.
        case when count(distinct kecamatan_code) filter (where rank_in_row = 1) = 1
            then any_value(kecamatan_code) filter (where rank_in_row = 1) end as kecamatan_code,
        any_value(basis) filter (where rank_in_row = 1) as kecamatan_basis
    from (
        select
            *,
            case when exact then level else level || '_ejaan' end as basis,
            rank() over (partition by event_id, msme_key
                order by exact desc, level = 'kecamatan' desc, similarity desc) as rank_in_row
        from place_hits
    )
    group by event_id, msme_key
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
    located.kecamatan_code,
    case when located.kecamatan_code is not null then located.kecamatan_basis end as kecamatan_basis,
    pooled.nib,
    pooled.nib is not null and pooled.nib in (select nib from registered) as nib_registered,
    pooled.listings,
    first_listing.source_path,
    first_listing.source_sheet,
    first_listing.source_row
from pooled
inner join first_listing using (event_id, msme_key)
left join located using (event_id, msme_key)
