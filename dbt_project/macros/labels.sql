{# Why: issue 12 puts an Indonesian label beside each code analysts read (names in /README "Marts"). The labels are
   data (seeds/rules/cooperative_code_labels.csv, gap_code_labels.csv, and the label columns the rule seeds already
   had: cooperative_jenis.jenis_label, cooperative_health_bands.category_label), never a CASE in a model. Each macro
   is a scalar lookup of one code; the seeds' (code_set, code) pairs are unique (seed tests), so a lookup returns
   one label or NULL. Pass the code qualified (updates.jenis, not jenis): the lookups are correlated subqueries and
   an unqualified name could bind to the seed's own column of that name (cooperative_jenis.jenis). #}
{% macro coop_code_label(code_set, code) -%}
    (select code_labels.label from {{ ref('cooperative_code_labels') }} as code_labels
     where code_labels.code_set = '{{ code_set }}' and code_labels.code = {{ code }})
{%- endmacro %}

{# jenis: the label of cooperative_jenis (one per jenis code), else tidak_diketahui's from cooperative_code_labels. #}
{% macro coop_jenis_label(code) -%}
    coalesce(
        (select any_value(jenis_labels.jenis_label) from {{ ref('cooperative_jenis') }} as jenis_labels
         where jenis_labels.jenis = {{ code }}),
        {{ coop_code_label('jenis', code) }}
    )
{%- endmacro %}

{# active_rule rat_<N>_years (N = var cooperative_inactive_after_years when the row was built) has one label row,
   rat_n_years, whose {n} is the N of the code. #}
{% macro coop_active_rule_label(code) -%}
    replace(
        {{ coop_code_label('active_rule', "regexp_replace(" ~ code ~ ", '^rat_[0-9]+_years$', 'rat_n_years')") }},
        '{n}', regexp_extract({{ code }}, '^rat_([0-9]+)_years$', 1)
    )
{%- endmacro %}

{# reports_digitally is a boolean: true / false, and NULL (typed and not recognised) under the key unknown. #}
{% macro coop_reports_digitally_label(value) -%}
    {{ coop_code_label('reports_digitally', "coalesce(cast(" ~ value ~ " as varchar), 'unknown')") }}
{%- endmacro %}

{# health category: the band's label (cooperative_health_bands, var cooperative_health_bands_version), else
   tidak_diketahui's from cooperative_code_labels. #}
{% macro coop_category_label(code) -%}
    coalesce(
        (select any_value(bands.category_label) from {{ ref('cooperative_health_bands') }} as bands
         where bands.bands_version = '{{ var("cooperative_health_bands_version") }}' and bands.category = {{ code }}),
        {{ coop_code_label('category', code) }}
    )
{%- endmacro %}

{% macro gap_code_label(code_set, code) -%}
    (select code_labels.label from {{ ref('gap_code_labels') }} as code_labels
     where code_labels.code_set = '{{ code_set }}' and code_labels.code = {{ code }})
{%- endmacro %}
