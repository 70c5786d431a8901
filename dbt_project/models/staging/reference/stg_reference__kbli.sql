-- KBLI codes with their category letter and division, tagged with the KBLI version (var kbli_version).
select
    kode as kbli_code,
    tingkat as kbli_level,
    kategori as kbli_category,
    case when tingkat <> 'kategori' then left(kode, 2) end as kbli_division,
    judul as kbli_title,
    sumber as listed_in,
    '{{ var("kbli_version") }}' as kbli_version
from {{ ref('kbli_2020') }}
