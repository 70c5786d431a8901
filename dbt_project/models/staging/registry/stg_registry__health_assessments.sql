-- One row per cooperative (Nomor Induk Koperasi) per assessment year, every region: the four aspect scores and the
-- category the assessor recorded. Where several rows describe the same cooperative and year (an exact duplicate,
-- or the same year in two files), the newest export wins: its as-of date, then the later file and row.
with rows as (
    select *
    from {{ source('registry', 'coop_health') }}
    where regexp_full_match(nomor_induk_koperasi, '[0-9]{16}') and tahun_penilaian is not null
),

ranked as (
    select
        *,
        row_number() over (
            partition by nomor_induk_koperasi, tahun_penilaian
            order by _file_date desc nulls last, _path desc, _row_number desc
        ) as copy_rank,
        count(*) over (partition by nomor_induk_koperasi, tahun_penilaian) as assessment_rows
    from rows
)

select
    nomor_induk_koperasi as cooperative_number,
    tahun_penilaian as assessment_year,
    nama_koperasi as cooperative_name,
    skor_tata_kelola as score_tata_kelola,
    skor_profil_risiko as score_profil_risiko,
    skor_kinerja_keuangan as score_kinerja_keuangan,
    skor_permodalan as score_permodalan,
    predikat as category_recorded_exported,
    assessment_rows,
    _unparsed_columns as unparsed_columns,
    {{ source_columns() }}
from ranked
where copy_rank = 1
