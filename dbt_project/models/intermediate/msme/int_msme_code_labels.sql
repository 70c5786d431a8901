-- The Indonesian label of every code the MSME and event marts show, one row per (label_set, code), each taken from
-- its seed: scale from msme_scale_thresholds (the active rule set), KBLI category and division titles from
-- kbli_2020, the kuliner grouping from kbli_sector_groups (other divisions fall back to their KBLI category),
-- risk level from oss_risk_levels. The marts add them beside their codes with macro msme_code_label (macros/msme_labels.sql), so a label is
-- never written as a CASE in a model.
with kbli as (select * from {{ ref('stg_reference__kbli') }}),
sector_groups as (select distinct sector_group, sector_label from {{ ref('kbli_sector_groups') }}),

labels as (
    select 'scale' as label_set, scale as code, scale_label as label
    from {{ ref('msme_scale_thresholds') }}
    where rule_set = '{{ var("msme_scale_rule_set") }}'
    union all
    select 'kbli_category', kbli_code, kbli_title from kbli where kbli_level = 'kategori'
    union all
    select 'kbli_division', kbli_code, kbli_title from kbli where kbli_level = 'golongan_pokok'
    union all
    select 'sector_group', sector_group, sector_label from sector_groups
    union all
    select 'sector_group', kbli_code, kbli_title from kbli where kbli_level = 'kategori'
    union all
    select 'risk_level', risk_level, risk_label from {{ ref('oss_risk_levels') }}
)

select label_set, code, label from labels
union all
-- The marts' one code for "not known" (scale, risk level, sector group or KBLI category not given by any export),
-- labelled alike in every set.
select label_set, 'tidak_diketahui', 'Tidak diketahui'
from (select distinct label_set from labels)
