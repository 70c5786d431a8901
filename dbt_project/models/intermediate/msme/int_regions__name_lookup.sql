-- Every way a kab/kota or kecamatan name can be matched: normalised name key -> Kemendagri code.
-- Kecamatan keys are unique only within their kab/kota, so consumers join on (regency_code, name_key).
-- A kab/kota name without KOTA/KABUPATEN ("BALIKPAPAN") matches only when that base name is unique nationally.
with regions as (select * from {{ ref('stg_reference__regions') }}),

regency_full as (
    select 'kab_kota' as match_level, null as regency_code, name_key, region_code, region_name
    from regions
    where region_level = 'kab_kota'
),

regency_base as (
    select 'kab_kota' as match_level, null as regency_code, regency_base_key as name_key,
        any_value(region_code) as region_code, any_value(region_name) as region_name
    from regions
    where region_level = 'kab_kota'
    group by regency_base_key
    having count(*) = 1
),

kecamatan as (
    select 'kecamatan' as match_level, regency_code, name_key,
        any_value(region_code) as region_code, any_value(region_name) as region_name
    from regions
    where region_level = 'kecamatan'
    group by regency_code, name_key
    having count(*) = 1
)

select * from regency_full
union all
select * from regency_base where name_key not in (select name_key from regency_full)
union all
select * from kecamatan
