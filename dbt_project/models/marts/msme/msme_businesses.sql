-- One row per registered business (NIB) in the configured region: every NIB named by any OSS export (NIB list,
-- project list or permit list; `named_by` says which). No personal data.
with businesses as (select * from {{ ref('int_msme_businesses_classified') }}),

flagged as (
    select
        *,
        -- "Recent" = registered within var new_registration_days up to the latest registration in the data (not
        -- "registered in this month": that is registration_month).
        coalesce(
            registered_on > (select max(registered_on) from businesses where {{ in_region('regency_code') }})
                - to_days({{ var('new_registration_days') }}),
            false
        ) as is_recent_registration
    from businesses
    where {{ in_region('regency_code') }}
)

select
    *,
    -- Deprecated alias of is_recent_registration (the name before issue 12), kept for existing queries.
    is_recent_registration as is_new_registration
from flagged
