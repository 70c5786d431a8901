-- One row per code-list value as typed in the cooperative files (status, jenis, bentuk, Pelaporan Digital,
-- health predikat), every region: the code it means under the rule seeds, and how that was decided.
-- match = exact: its key (macro coop_value_key: case, dots, spaces, bracketed notes and a leading KOPERASI / KOP.
-- ignored) is a seed key; fuzzy: no seed key equals it, but exactly one code has seed keys at the smallest
-- Damerau-Levenshtein distance within the allowed edits (macro coop_fuzzy_allowed_distance, vars
-- cooperative_fuzzy_*); none: neither (the value counts as tidak_diketahui and is a gap, never guessed).
{%- set vocabularies = {
    'status': ('stg_registry__cooperative_updates', 'status_exported'),
    'jenis': ('stg_registry__cooperative_updates', 'jenis_exported'),
    'bentuk': ('stg_registry__cooperative_updates', 'bentuk_exported'),
    'pelaporan_digital': ('stg_registry__cooperative_updates', 'digital_reporting_exported'),
    'predikat': ('stg_registry__health_assessments', 'category_recorded_exported'),
} %}
with typed as (
{%- for vocabulary, (model, column) in vocabularies.items() %}
    {% if not loop.first %}union{% endif %}
    select distinct '{{ vocabulary }}' as vocabulary, {{ column }} as value_exported
    from {{ ref(model) }}
    -- Blank, "-", "?": nothing typed, not an unknown value.
    where regexp_matches({{ column }}, '[A-Za-z0-9]')
{%- endfor %}
),

seeds as (
    select 'status' as vocabulary, value_key, status as code from {{ ref('cooperative_status') }}
    union all
    select 'jenis', value_key, jenis from {{ ref('cooperative_jenis') }}
    union all
    select 'bentuk', value_key, bentuk from {{ ref('cooperative_bentuk') }}
    union all
    select 'pelaporan_digital', value_key, cast(reports_digitally as varchar)
    from {{ ref('cooperative_digital_reporting') }}
    union all
    select 'predikat', value_key, category from {{ ref('cooperative_health_labels') }}
),

keyed as (
    select vocabulary, value_exported, {{ coop_value_key('value_exported') }} as value_key
    from typed
),

exact as (
    select keyed.*, seeds.code, seeds.value_key as matched_key
    from keyed inner join seeds using (vocabulary, value_key)
),

candidates as (
    select
        keyed.vocabulary,
        keyed.value_exported,
        keyed.value_key,
        seeds.code,
        seeds.value_key as matched_key,
        damerau_levenshtein(keyed.value_key, seeds.value_key) as distance
    from keyed
    inner join seeds on seeds.vocabulary = keyed.vocabulary
    where keyed.value_key is not null
        and not exists (
            select 1 from exact
            where exact.vocabulary = keyed.vocabulary and exact.value_exported = keyed.value_exported
        )
        and damerau_levenshtein(keyed.value_key, seeds.value_key)
            <= {{ coop_fuzzy_allowed_distance('keyed.value_key') }}
    qualify distance = min(distance) over (partition by keyed.vocabulary, keyed.value_exported)
),

fuzzy as (
    select
        vocabulary,
        value_exported,
        value_key,
        any_value(code) as code,
        string_agg(distinct matched_key, ', ' order by matched_key) as matched_key,
        min(distance) as distance
    from candidates
    group by vocabulary, value_exported, value_key
    -- the best candidates must all mean one code: a tie between two codes is no match
    having count(distinct code) = 1
)

select
    keyed.vocabulary,
    keyed.value_exported,
    keyed.value_key,
    coalesce(exact.code, fuzzy.code) as code,
    {{ first_known_basis([('exact.code', 'exact'), ('fuzzy.code', 'fuzzy')], otherwise='none') }} as match,
    coalesce(exact.matched_key, fuzzy.matched_key) as matched_key,
    case when exact.code is not null then 0 else fuzzy.distance end as distance
from keyed
left join exact using (vocabulary, value_exported)
left join fuzzy using (vocabulary, value_exported)
