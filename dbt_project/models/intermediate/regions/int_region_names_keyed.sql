-- Every way a kab/kota or kecamatan name can be matched: normalised name key -> Kemendagri code.
-- Kecamatan keys are unique only within their kab/kota, so consumers join on (regency_code, name_key).
-- A kab/kota name without KOTA/KABUPATEN ("BALIKPAPAN") matches only when that base name is unique nationally.
-- Abbreviations (seeds/rules/kab_kota_aliases.csv: "Bpp", "Smd", "Trk") match as typed and with their kab/kota
-- word ("Kota Bpp", "Kodya Bpp"); an official name's key always wins over an alias. match_basis says which.
with regions as (select * from {{ ref('stg_reference__regions') }}),
aliases as (select * from {{ ref('kab_kota_aliases') }}),

regency_full as (
    select 'kab_kota' as match_level, null as regency_code, name_key, region_code, region_name,
        'official_name' as match_basis
    from regions
    where region_level = 'kab_kota'
),

regency_base as (
    select 'kab_kota' as match_level, null as regency_code, regency_base_key as name_key,
        any_value(region_code) as region_code, any_value(region_name) as region_name,
        'base_name' as match_basis
    from regions
    where region_level = 'kab_kota'
    group by regency_base_key
    having count(*) = 1
),

official as (
    select * from regency_full
    union all
    select * from regency_base where name_key not in (select name_key from regency_full)
),

-- Each alias as typed ("Bpp") and with the kab/kota word of its region ("Kota Bpp", "Kabupaten PPU").
alias_keys as (
    select {{ regency_key('aliases.alias') }} as name_key, regions.region_code, regions.region_name
    from aliases inner join regions on regions.region_code = aliases.region_code
    union
    select
        {{ regency_key("case when upper(regions.region_name) like 'KOTA%' then 'Kota ' else 'Kabupaten ' end"
                       ~ " || aliases.alias") }},
        regions.region_code,
        regions.region_name
    from aliases inner join regions on regions.region_code = aliases.region_code
),

regency_alias as (
    select 'kab_kota' as match_level, null as regency_code, name_key,
        any_value(region_code) as region_code, any_value(region_name) as region_name, 'alias' as match_basis
    from alias_keys
    where name_key not in (select name_key from official)
    group by name_key
    having count(distinct region_code) = 1
),

kecamatan as (
    select 'kecamatan' as match_level, regency_code, name_key,
        any_value(region_code) as region_code, any_value(region_name) as region_name,
        'official_name' as match_basis
    from regions
    where region_level = 'kecamatan'
    group by regency_code, name_key
    having count(*) = 1
)

select * from official
union all
select * from regency_alias
union all
select * from kecamatan
