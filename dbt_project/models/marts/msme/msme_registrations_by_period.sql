-- New business registrations per month, by scale, with the running total of registered businesses.
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
from {{ ref('msme_businesses') }}
where registration_month is not null
group by registration_month, registration_year
