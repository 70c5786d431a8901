{# Why: models take a value from the first source that has it (coalesce(a, b, ...)) and say which source gave it
   in a *_basis / match column; the two must list the sources in the same order. This writes the second from the
   same list: `candidates` = [(expression, label), ...] in order of preference; `otherwise` = the label when none
   has a value (NULL when not given). #}
{% macro first_known_basis(candidates, otherwise=none) -%}
    case
        {%- for expression, label in candidates %}
        when {{ expression }} is not null then '{{ label }}'
        {%- endfor %}
        {%- if otherwise is not none %}
        else '{{ otherwise }}'
        {%- endif %}
    end
{%- endmacro %}
