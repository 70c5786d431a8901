-- The floor: what plain DuckDB does with the national sample's permit exports, no orchestration, no checks.
-- benchmarks/floor.py lands the files first (read_csv all text for CSV; python-calamine for xlsx, as DuckDB's
-- excel extension needs the network) into land_nib / land_project / land_permit (source_path, c0..cN as text,
-- in each family's column order), then runs this script.
--
-- Marts it computes, equal to ours on the national sample (tests/benchmarks/test_floor.py checks it):
--   floor_registrations_by_period = marts.msme_registrations_by_period
--   floor_permits_by_month        = marts.msme_permit_counts summed by issue_month
-- Parsing rules kept: NIB with one lost leading zero restored (12 digits not beginning with 0); ISO dates
-- and slash dates in the order each file's values show (a first part above 12: day-first; else a second
-- part above 12: month-first; else day-first); the OSS scale label ("Usaha Mikro", "USAHA KECIL", "Mikro");
-- a business's attributes from the NIB list first, then the project list, then the permit list; one row per
-- NIB and per permit id; the region by kab/kota name against Kemendagri 2025.
-- Rules left out because the national sample never needs them (so the floor is a floor, not a copy): the
-- capital/sales scale fallback, newest-export-wins between repeated exports, rejects, gaps, PII checks,
-- place-name spellings beyond "Kab."/"Kabupaten" and case, the file-level kab/kota fallback.

create or replace macro floor_nib(s) as
    case when regexp_matches(trim(s), '^[1-9]\d{11}$') then '0' || trim(s)
         when regexp_matches(trim(s), '^\d{13}$') then trim(s) end;

create or replace macro floor_scale(label) as
    case regexp_replace(lower(trim(label)), '^usaha\s+', '')
        when 'mikro' then 'mikro' when 'kecil' then 'kecil'
        when 'menengah' then 'menengah' when 'besar' then 'besar'
    end;

create or replace macro floor_date(s, date_order) as
    coalesce(
        try_strptime(trim(s), '%Y-%m-%d'),
        case when date_order = 'mdy' then try_strptime(trim(s), '%m/%d/%Y') else try_strptime(trim(s), '%d/%m/%Y') end
    )::date;

create or replace macro floor_regency_key(name) as
    regexp_replace(upper(trim(name)), '^KAB\.?\s+', 'KABUPATEN ');

-- Every slash date of a file, for its day/month order.
create or replace table floor_file_dates as
    select source_path, c1 as d from land_nib
    union all select source_path, c4 from land_project
    union all select source_path, c16 from land_project
    union all select source_path, c4 from land_permit
    union all select source_path, c11 from land_permit;

create or replace table floor_file_order as
select
    source_path,
    case
        when bool_or(try_cast(split_part(d, '/', 1) as integer) > 12) then 'dmy'
        when bool_or(try_cast(split_part(d, '/', 2) as integer) > 12) then 'mdy'
        else 'dmy'
    end as date_order
from floor_file_dates
where d like '%/%'
group by source_path;

create or replace table floor_regencies as
select floor_regency_key(nama) as name_key, kode as regency_code
from read_csv(getvariable('wilayah_csv'), all_varchar = true)
where tingkat = 'kab_kota';

-- One business row per record of any family, ranked: NIB list 1, project list 2, permit list 3.
create or replace table floor_records as
with typed as (
    select 1 as family_rank, source_path, floor_nib(c0) as nib, c1 as registered, c5 as scale_label, c9 as kab
    from land_nib
    union all
    select 2, source_path, floor_nib(c2), c4, c9, c11 from land_project
    union all
    select 3, source_path, floor_nib(c3), c4, null, c7 from land_permit
)
select
    typed.family_rank,
    typed.nib,
    floor_date(typed.registered, coalesce(o.date_order, 'dmy')) as registered_on,
    floor_scale(typed.scale_label) as scale,
    r.regency_code
from typed
left join floor_file_order as o using (source_path)
left join floor_regencies as r on r.name_key = floor_regency_key(typed.kab)
where typed.nib is not null;

create or replace table floor_businesses as
select
    nib,
    arg_min(registered_on, family_rank) filter (where registered_on is not null) as registered_on,
    coalesce(arg_min(scale, family_rank) filter (where scale is not null), 'tidak_diketahui') as scale,
    arg_min(regency_code, family_rank) filter (where regency_code is not null) as regency_code
from floor_records
group by nib;

create or replace table floor_registrations_by_period as
with businesses as (
    select *, year(registered_on) as registration_year, strftime(registered_on, '%Y-%m') as registration_month
    from floor_businesses
    where starts_with(regency_code, getvariable('region_code') || '.')
)
select
    registration_month,
    registration_year,
    count(*) as new_registrations,
    count(*) filter (where scale = 'mikro') as mikro,
    count(*) filter (where scale = 'kecil') as kecil,
    count(*) filter (where scale = 'menengah') as menengah,
    count(*) filter (where scale = 'besar') as besar,
    count(*) filter (where scale = 'tidak_diketahui') as tidak_diketahui,
    sum(count(*)) over (order by registration_month) as registered_to_date
from businesses
where registration_month is not null
group by registration_month, registration_year;

create or replace table floor_permits_by_month as
with permits as (
    select
        p.c1 as permit_id,
        floor_nib(p.c3) as nib,
        floor_date(p.c11, coalesce(o.date_order, 'dmy')) as issued_on,
        r.regency_code as own_regency
    from land_permit as p
    left join floor_file_order as o using (source_path)
    left join floor_regencies as r on r.name_key = floor_regency_key(p.c7)
    qualify row_number() over (partition by p.c1 order by p.source_path desc) = 1
)
select strftime(permits.issued_on, '%Y-%m') as issue_month, count(*) as permits
from permits
left join floor_businesses as b using (nib)
where starts_with(coalesce(b.regency_code, permits.own_regency), getvariable('region_code') || '.')
group by 1;
