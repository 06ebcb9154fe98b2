// The dashboard page: reads the view from the URL, fetches series from /api/series, draws them
// with Plotly and writes every change of view back to the URL so it can be shared.
/* global document, location, history, fetch, performance, setTimeout, URL, URLSearchParams, Plotly */
'use strict';

(function () {
  const MAX_COUNTRIES = 10;
  const DEFAULT_COUNTRY = 'SG';
  const PALETTE = [
    '#1f6fb2',
    '#e07b00',
    '#2a9d5c',
    '#8e44ad',
    '#b5651d',
    '#00838f',
    '#d81b60',
    '#546e7a',
    '#7cb342',
    '#3949ab',
  ];
  const CORRECTION = '#d62728';
  const DAY_MS = 86400000;
  const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
  // Ids in links are ISO alpha-2 codes or slugs, never commas; anything else is an older link.
  const ID_LIKE = /^(?:[A-Za-z]{2}|[a-z0-9]+(?:-[a-z0-9]+)+)$/;
  const WORD = { confirmed: 'cases', deaths: 'deaths' };
  const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const formatDate = (iso) => DATE_FORMAT.format(new Date(iso + 'T00:00:00Z'));
  // Ticks as ordinary numbers (0.2, 500, 20,000), never SI prefixes like 200m.
  const TICK_FORMAT = ',~r';

  // ---- view state, kept in the URL ----------------------------------------------------------
  const params = new URLSearchParams(location.search);
  const linked = params.get('countries') || '';
  const notices = [];
  const state = readState(params);

  function readState(params) {
    const date = (key) => {
      const value = params.get(key) || '';
      return ISO_DATE.test(value) && !Number.isNaN(Date.parse(value)) ? value : null;
    };
    let from = date('from');
    let to = date('to');
    if (from && to && from > to) [from, to] = [null, null];
    const pieces = linked.split(',').filter((piece) => piece.trim());
    return {
      // Ids are known before the catalog arrives only for links made of ids (or none).
      countries: !pieces.length
        ? [DEFAULT_COUNTRY]
        : pieces.every((p) => ID_LIKE.test(p))
          ? pieces.map(idOf)
          : [],
      metric: params.get('metric') === 'cumulative' ? 'cumulative' : 'daily',
      status: params.get('status') === 'deaths' ? 'deaths' : 'confirmed',
      per: params.get('per') === 'million' ? 'million' : 'total',
      scale: params.get('scale') === 'log' ? 'log' : 'linear',
      from,
      to,
    };
  }

  function idOf(key) {
    return key.length === 2 ? key.toUpperCase() : key.toLowerCase();
  }

  function query(countries, extra) {
    const parts = countries.map((id) => 'country=' + encodeURIComponent(id));
    for (const [key, value] of Object.entries(extra)) {
      if (value) parts.push(key + '=' + encodeURIComponent(value));
    }
    return parts.join('&');
  }

  function writeState() {
    const view = {
      metric: state.metric,
      status: state.status === 'confirmed' ? null : state.status,
      per: state.per === 'million' ? 'million' : null,
      scale: state.scale === 'linear' ? null : state.scale,
      from: state.from,
      to: state.to,
    };
    const rest = query([], view);
    history.replaceState(
      null,
      '',
      '?countries=' + state.countries.join(',') + (rest ? '&' + rest : ''),
    );
    const drawn = drawable();
    const link = document.getElementById('download');
    link.href =
      '/api/export.csv?' +
      query(drawn, {
        metric: state.status,
        per: view.per,
        from: state.from,
        to: state.to,
      });
    link.download = ['covid', ...drawn, state.status, view.per ? 'per-million' : null]
      .filter(Boolean)
      .join('-')
      .concat('.csv');
  }

  // ---- data -------------------------------------------------------------------------------
  const cache = new Map();

  function load(id, status, per) {
    const key = id + '|' + status + '|' + per;
    if (!cache.has(key)) {
      const url =
        '/api/series?' + query([id], { metric: status, per: per === 'million' ? per : null });
      const request = fetch(url).then(async (response) => {
        const body = await response.json();
        if (!response.ok) throw new Error(body.message || 'HTTP ' + response.status);
        return body;
      });
      // A failed request is not kept, so the next render asks again.
      request.catch(() => cache.delete(key));
      cache.set(key, request);
    }
    return cache.get(key);
  }

  // Start the requests now: they overlap with downloading and parsing Plotly.
  const catalog = fetch('/api/countries')
    .then((response) => {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.json();
    })
    .then((info) => ({ info, ...indexCountries(info.countries) }));
  // Per million needs the population from that list first: an entry without one has no such series.
  if (state.per === 'total') for (const id of state.countries) load(id, state.status, state.per);

  let byId = new Map();
  let find = () => undefined;

  function indexCountries(list) {
    const ids = new Map(list.map((country) => [country.id, country]));
    const keys = new Map();
    for (const country of list) {
      for (const key of [country.name, country.slug, country.code, country.id]) {
        if (key) keys.set(key.toLowerCase(), country);
      }
    }
    return { ids, lookup: (key) => keys.get(key.trim().toLowerCase()) };
  }

  /** The link's countries: ids, or older comma lists where names may contain commas. */
  function resolveLinked() {
    const pieces = linked.split(',');
    const chosen = [];
    const unknown = [];
    for (let i = 0; i < pieces.length; i++) {
      let found;
      let end = i;
      for (let j = i; j < pieces.length && !found; j++) {
        found = find(pieces.slice(i, j + 1).join(','));
        end = j;
      }
      if (found) {
        if (!chosen.includes(found.id)) chosen.push(found.id);
        i = end;
      } else if (pieces[i].trim()) {
        unknown.push(pieces[i].trim());
      }
    }
    if (unknown.length)
      notices.push('Unknown country in the link, ignored: ' + unknown.join(', ') + '.');
    if (chosen.length > MAX_COUNTRIES) {
      notices.push(
        'The link names ' +
          chosen.length +
          ' countries; the first ' +
          MAX_COUNTRIES +
          ' are shown.',
      );
    }
    state.countries = chosen.length ? chosen.slice(0, MAX_COUNTRIES) : [DEFAULT_COUNTRY];
  }

  /** Chosen countries that can be drawn in the current view (per million needs a population). */
  function drawable() {
    return state.countries.filter((id) => state.per !== 'million' || byId.get(id)?.population);
  }

  const nameOf = (id) => byId.get(id)?.name ?? id;
  const colorOf = (id) => PALETTE[state.countries.indexOf(id) % PALETTE.length];

  // ---- drawing ----------------------------------------------------------------------------
  let chart;
  let shown = [];
  let renderSeq = 0;
  let renders = 0;

  function valueKey(kind) {
    return state.per === 'million' ? kind + 'PerMillion' : kind;
  }

  function traces(series) {
    const single = series.length === 1;
    const word = WORD[state.status];
    const unit = state.per === 'million' ? ' per million' : '';
    const exact = state.per === 'million' ? ',.2f' : ',';
    const out = [];
    const marks = [];
    // On a phone, comparing countries draws only the average lines: hidden bars would still
    // take legend rows from a small chart.
    const bars = single || chart.clientWidth >= 560;
    for (const { id, rows } of series) {
      const country = nameOf(id);
      const color = colorOf(id);
      const x = rows.map((row) => row.date);
      const negatives = rows.filter((row) => row.daily !== null && row.daily < 0);
      const metricKey = valueKey(state.metric === 'daily' ? 'daily' : 'cumulative');
      if (state.metric === 'daily') {
        if (bars) {
          out.push({
            type: 'bar',
            name: single ? 'New ' + word + ' per day' + unit : country + ' daily',
            x,
            y: rows.map((row) => row[metricKey]),
            marker: {
              color: rows.map((row) => (row.daily < 0 ? CORRECTION : tint(color, 0.6))),
            },
            visible: single ? true : 'legendonly',
            hovertemplate:
              (single ? 'New ' + word : country + ' new') +
              unit +
              ': %{y:' +
              exact +
              '}<extra></extra>',
            meta: { country, kind: 'daily' },
          });
        }
        out.push({
          type: 'scatter',
          mode: 'lines',
          name: single ? '7-day average' : country,
          x,
          y: rows.map((row) => row[valueKey('avg7')]),
          line: { color, width: 2.5 },
          hovertemplate:
            (single ? '' : country + ' ') +
            '7-day average' +
            unit +
            ': %{y:,.' +
            (unit ? 2 : 1) +
            'f}<extra></extra>',
          meta: { country, kind: 'avg7' },
        });
      } else {
        out.push({
          type: 'scatter',
          mode: 'lines',
          name: country,
          x,
          y: rows.map((row) => row[metricKey]),
          line: { color, width: 2.5 },
          hovertemplate: country + ' total' + unit + ': %{y:' + exact + '}<extra></extra>',
          meta: { country, kind: 'cumulative' },
        });
      }
      if (negatives.length) {
        marks.push({
          type: 'scatter',
          mode: 'markers',
          name: 'Correction (total fell)',
          legendgroup: 'corrections',
          showlegend: marks.length === 0,
          x: negatives.map((row) => row.date),
          y: negatives.map((row) => row[metricKey]),
          customdata: negatives.map((row) => -row.daily),
          marker: {
            symbol: 'triangle-down',
            size: 10,
            color: CORRECTION,
            line: { color: '#fff', width: 1 },
          },
          hovertemplate: country + ' correction: total fell by %{customdata:,}<extra></extra>',
          meta: { country, kind: 'corrections' },
        });
      }
    }
    // Correction marks go last so they are drawn over the lines and listed after them.
    return out.concat(marks);
  }

  /** Shaded stretches where a shown country reported weekly, labelled at the top. */
  function weeklyShapes(series) {
    const shapes = [];
    const annotations = [];
    for (const { id } of series) {
      for (const stretch of byId.get(id)?.weeklyReporting ?? []) {
        const x0 = shiftDay(stretch.from, -0.5);
        const x1 = shiftDay(stretch.to, 0.5);
        shapes.push({
          type: 'rect',
          xref: 'x',
          yref: 'paper',
          x0,
          x1,
          y0: 0,
          y1: 1,
          fillcolor: 'rgba(120, 130, 140, 0.12)',
          line: { width: 0 },
          layer: 'below',
        });
        annotations.push({
          xref: 'x',
          yref: 'paper',
          // Anchored at the end so the label extends into the data, never the axis range.
          x: x1,
          y: 1,
          xanchor: 'right',
          yanchor: 'top',
          showarrow: false,
          text: (series.length > 1 ? nameOf(id) + ': ' : '') + 'reported weekly',
          font: { size: 11, color: '#5b6b7b' },
        });
      }
    }
    return { shapes, annotations };
  }

  function xRange() {
    if (!shown.length) {
      // Nothing drawable (per million without populations): keep the axis on the data's dates.
      const entry = byId.get(state.countries[0]);
      return entry && [state.from || entry.firstDate, state.to || entry.lastDate];
    }
    if (!state.from && !state.to) return null;
    const first = shown.length ? shown[0].rows[0].date : state.from;
    const last = shown.length ? shown[0].rows[shown[0].rows.length - 1].date : state.to;
    // Half a day either side so the first and last bars are drawn whole.
    return [shiftDay(state.from || first, -0.5), shiftDay(state.to || last, 0.5)];
  }

  function layout(range, yRange, marks) {
    const word = WORD[state.status];
    const unit = state.per === 'million' ? ' per million people' : '';
    return {
      margin: { l: 8, r: 12, t: 8, b: 8 },
      autosize: true,
      font: {
        family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
        size: 13,
        color: '#1d2733',
      },
      paper_bgcolor: 'rgba(0,0,0,0)',
      plot_bgcolor: '#ffffff',
      hovermode: 'x unified',
      hoverlabel: { bgcolor: '#ffffff', bordercolor: '#c9d2dc' },
      barmode: 'overlay',
      bargap: 0.08,
      showlegend: true,
      legend: { orientation: 'h', x: 0, y: 1, yanchor: 'bottom', bgcolor: 'rgba(0,0,0,0)' },
      shapes: marks.shapes,
      annotations: marks.annotations,
      xaxis: {
        type: 'date',
        autorange: !range,
        range: range || undefined,
        hoverformat: '%a %d %b %Y',
        rangeslider: { visible: true, thickness: 0.08, bgcolor: '#f3f6f9' },
        showgrid: false,
        automargin: true,
      },
      yaxis: {
        type: state.scale,
        autorange: !yRange,
        range: yRange || undefined,
        title: {
          text: (state.metric === 'daily' ? 'New ' + word + ' per day' : 'Total ' + word) + unit,
        },
        tickformat: TICK_FORMAT,
        dtick: logTickStep(yRange),
        gridcolor: '#e6ebf0',
        zerolinecolor: '#9aa7b4',
        automargin: true,
        fixedrange: false,
      },
    };
  }

  /**
   * On a log axis with a tick format, Plotly labels every minor tick (0.6, 0.7, 0.8 …): 1-2-5
   * steps over a few decades, one label per decade over more, every other decade beyond.
   */
  function logTickStep(yRange) {
    if (state.scale !== 'log' || !yRange) return undefined;
    const decades = yRange[1] - yRange[0];
    return decades <= 4 ? 'D2' : decades <= 8 ? 1 : 2;
  }

  async function render() {
    const seq = ++renderSeq;
    let series;
    try {
      const ready = await catalog;
      if (!byId.size) {
        byId = ready.ids;
        find = ready.lookup;
        resolveLinked();
        writeState();
        renderChips();
      }
      series = await Promise.all(
        drawable().map((id) => load(id, state.status, state.per).then((rows) => ({ id, rows }))),
      );
    } catch (error) {
      showNotes(['Could not load the data: ' + error.message], true);
      return;
    }
    if (seq !== renderSeq) return;
    shown = series;
    const config = {
      responsive: true,
      displaylogo: false,
      modeBarButtonsToRemove: ['lasso2d', 'select2d', 'autoScale2d'],
      toImageButtonOptions: { filename: 'covid-dashboard' },
    };
    // The y range is fitted to the visible dates up front, so the first plot is drawn once.
    const data = traces(series);
    const range = xRange();
    const yRange = yRangeFor(data, range && range.map(toMs));
    const marks = weeklyShapes(series);
    if (renders === 0 && yRange && data.some((trace) => trace.type === 'bar')) {
      // Plotly draws a new chart twice: the second time with the margins its axis labels and
      // range slider turned out to need. Drawing the frame without the bars first lets that
      // happen cheaply; the chart with its 2 × 1,143 bars is then drawn once.
      await Plotly.react(chart, data.map(withoutBars), layout(range, yRange, marks), config);
    }
    await Plotly.react(chart, data, layout(range, yRange, marks), config);
    if (seq !== renderSeq) return;
    updateText();
    renders += 1;
    chart.dataset.renders = String(renders);
    if (renders === 1) performance.mark('first-plot');
  }

  function withoutBars(trace) {
    return trace.type === 'bar' ? { ...trace, x: [], y: [], marker: {} } : trace;
  }

  /** The y range fitting the data inside the visible dates (Plotly would keep the full range). */
  function yRangeFor(data, msRange) {
    let min = Infinity;
    let max = -Infinity;
    for (const trace of data) {
      if (trace.visible === 'legendonly' || trace.visible === false) continue;
      trace.x.forEach((x, i) => {
        const y = trace.y[i];
        if (y === null || (state.scale === 'log' && y <= 0)) return;
        if (msRange) {
          const t = Date.parse(x + 'T00:00:00Z');
          if (t < msRange[0] || t > msRange[1]) return;
        }
        min = Math.min(min, y);
        max = Math.max(max, y);
      });
    }
    if (!Number.isFinite(min)) return null;
    if (state.scale === 'log') return [Math.log10(min) - 0.1, Math.log10(max) + 0.1];
    const low = Math.min(min, 0);
    const span = Math.max(max - low, 1e-9);
    return [low - (min < 0 ? span * 0.05 : 0), max + span * 0.06];
  }

  async function autoscaleY() {
    if (!chart.layout.xaxis.range) return;
    const yRange = yRangeFor(chart.data, chart.layout.xaxis.range.map(toMs));
    if (yRange) await Plotly.relayout(chart, { 'yaxis.range': yRange, 'yaxis.autorange': false });
  }

  // ---- text around the chart --------------------------------------------------------------
  function updateText() {
    const names = state.countries.map(nameOf);
    const title =
      names.length === 1
        ? 'COVID-19 in ' + names[0]
        : names.length <= 3
          ? 'COVID-19: ' + names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1]
          : 'COVID-19 in ' + names.length + ' countries';
    const counted = state.status === 'confirmed' ? 'confirmed cases' : 'deaths';
    const per = state.per === 'million' ? ' per million people' : '';
    const what =
      state.metric === 'daily'
        ? 'New ' + counted + ' per day' + per + ', with the 7-day average'
        : 'Cumulative ' + counted + per;
    document.getElementById('title').textContent = title;
    const dates = shown.length ? visibleDates() : null;
    document.getElementById('subtitle').textContent =
      what + (dates ? ' · ' + formatDate(dates[0]) + ' – ' + formatDate(dates[1]) : '');
    document.title = title + ' · ' + what;
    chart.setAttribute('aria-label', 'Chart: ' + title + ', ' + what.toLowerCase());
    for (const group of document.querySelectorAll('.segmented[data-key]')) {
      for (const button of group.querySelectorAll('button')) {
        button.setAttribute(
          'aria-pressed',
          String(state[group.dataset.key] === button.dataset.value),
        );
      }
    }
    showNotes(notes(dates), false);
  }

  function notes(dates) {
    const word = WORD[state.status];
    const lines = [...notices];
    const others = state.countries.filter((id) => byId.get(id)?.kind === 'other');
    if (others.length) {
      lines.push(others.map(nameOf).join(', ') + ': not a country (a ship, games or Antarctica).');
    }
    const missing = state.countries.filter((id) => !drawable().includes(id));
    if (missing.length) {
      lines.push(
        'No population in the JHU lookup table for ' +
          missing.map(nameOf).join(', ') +
          ', so ' +
          (missing.length === 1 ? 'it is' : 'they are') +
          ' left out of this per-million view.',
      );
    }
    if (!dates) return lines;
    const [from, to] = dates;
    const corrections = [];
    let hiddenOnLog = 0;
    for (const { id, rows } of shown) {
      let count = 0;
      for (const row of rows) {
        if (row.date < from || row.date > to) continue;
        if (row.daily !== null && row.daily < 0) count++;
        const value = row[valueKey(state.metric === 'daily' ? 'daily' : 'cumulative')];
        if (state.scale === 'log' && value !== null && value <= 0) hiddenOnLog++;
      }
      if (count) corrections.push(nameOf(id) + ' ' + count);
      for (const stretch of byId.get(id)?.weeklyReporting ?? []) {
        if (stretch.to < from || stretch.from > to) continue;
        const last = rows[rows.length - 1].date;
        lines.push(
          nameOf(id) +
            ' reported weekly from ' +
            formatDate(stretch.from) +
            (stretch.to < last ? ' to ' + formatDate(stretch.to) : '') +
            ' (shaded): days without a report show as zero and a report holds the week’s ' +
            word +
            ', so its spikes are not outbreaks; the 7-day average is the mean of the week.',
        );
      }
    }
    lines.push(
      corrections.length
        ? '▼ Red marks days when the published total fell (data corrections by JHU), shown as negative ' +
            word +
            ': ' +
            corrections.join(', ') +
            ' in view.'
        : 'No day in view where the published total fell.',
    );
    if (state.metric === 'daily') {
      lines.push(
        'The 7-day average is the mean of the day and the 6 days before; corrections count as they are.',
      );
    }
    if (state.per === 'million') {
      lines.push(
        'Per million: the count × 1,000,000 / population (JHU lookup table: ' +
          shown
            .map(({ id }) => nameOf(id) + ' ' + byId.get(id).population.toLocaleString('en'))
            .join(', ') +
          ').',
      );
    }
    if (hiddenOnLog)
      lines.push('Log scale: ' + hiddenOnLog + ' days with zero or negative values are not drawn.');
    return lines;
  }

  function showNotes(lines, isError) {
    const element = document.getElementById('notes');
    element.textContent = lines.join(' ');
    element.classList.toggle('error', isError);
  }

  function visibleDates() {
    const first = shown[0].rows[0].date;
    const last = shown[0].rows[shown[0].rows.length - 1].date;
    return [
      state.from && state.from > first ? state.from : first,
      state.to && state.to < last ? state.to : last,
    ];
  }

  async function showSource() {
    const source = document.getElementById('source');
    try {
      const { info } = await catalog;
      let text =
        'Source: Johns Hopkins CSSE COVID-19 Data Repository (global time series, CC BY 4.0) · data as of ' +
        formatDate(info.dataAsOf) +
        '.';
      const live = info.status.live;
      if (live.configured && live.lastAttemptOk === false) {
        text +=
          ' Live refresh failed at ' +
          new Date(live.lastAttemptAt).toISOString().slice(0, 16).replace('T', ' ') +
          ' UTC; showing the last good data (as of ' +
          formatDate(info.dataAsOf) +
          ').';
      } else if (live.configured && live.lastGoodAt) {
        text +=
          ' Live source refreshed ' +
          new Date(live.lastGoodAt).toISOString().slice(0, 16).replace('T', ' ') +
          ' UTC.';
      }
      source.textContent = text;
    } catch {
      source.textContent =
        'Source: Johns Hopkins CSSE COVID-19 Data Repository (status unavailable).';
    }
  }

  // ---- the country picker: a combobox with a filtered listbox, chosen countries as chips ----
  const search = () => document.getElementById('country-search');
  const listbox = () => document.getElementById('country-options');
  let active = -1;

  /** Words of the query, without accents, each found in the name or equal to the code. */
  function matches(country, words) {
    const name = fold(country.name);
    return words.every(
      (word) => name.includes(word) || (country.code || '').toLowerCase() === word,
    );
  }

  function fold(text) {
    return text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase();
  }

  function renderOptions() {
    const box = listbox();
    const words = fold(search().value)
      .split(/[^a-z0-9]+/)
      .filter(Boolean);
    box.textContent = '';
    const found = [...byId.values()].filter((country) => matches(country, words));
    const groups = [
      ['Countries', found.filter((country) => country.kind === 'country')],
      [
        'Not countries: ships, games, Antarctica',
        found.filter((country) => country.kind === 'other'),
      ],
    ];
    for (const [label, list] of groups) {
      if (!list.length) continue;
      const group = document.createElement('div');
      group.setAttribute('role', 'group');
      group.setAttribute('aria-label', label);
      const heading = document.createElement('div');
      heading.className = 'group-label';
      heading.setAttribute('aria-hidden', 'true');
      heading.textContent = label;
      group.append(heading);
      for (const country of list) {
        const option = document.createElement('div');
        option.className = 'option';
        option.id = 'option-' + country.id;
        option.setAttribute('role', 'option');
        option.dataset.id = country.id;
        option.setAttribute('aria-selected', String(state.countries.includes(country.id)));
        const name = document.createElement('span');
        name.textContent = country.name;
        option.append(name);
        if (!country.population) {
          const hint = document.createElement('span');
          hint.className = 'hint';
          hint.textContent = 'no population';
          option.append(hint);
        }
        group.append(option);
      }
      box.append(group);
    }
    if (!found.length) {
      const empty = document.createElement('div');
      empty.className = 'empty';
      empty.textContent = 'No country matches “' + search().value + '”';
      box.append(empty);
    }
    setActive(found.length ? 0 : -1);
  }

  function options() {
    return [...listbox().querySelectorAll('[role="option"]')];
  }

  function setActive(index) {
    const all = options();
    active = Math.max(-1, Math.min(index, all.length - 1));
    all.forEach((option, i) => option.classList.toggle('active', i === active));
    const current = all[active];
    if (current) {
      search().setAttribute('aria-activedescendant', current.id);
      current.scrollIntoView({ block: 'nearest' });
    } else {
      search().removeAttribute('aria-activedescendant');
    }
  }

  function openOptions(open) {
    listbox().hidden = !open;
    search().setAttribute('aria-expanded', String(open));
    if (open) renderOptions();
  }

  function toggleCountry(id) {
    if (state.countries.includes(id)) {
      if (state.countries.length === 1) return;
      state.countries = state.countries.filter((other) => other !== id);
    } else {
      if (state.countries.length >= MAX_COUNTRIES) {
        showAlert('At most ' + MAX_COUNTRIES + ' countries can be compared; remove one first.');
        return;
      }
      state.countries.push(id);
    }
    search().value = '';
    renderChips();
    if (!listbox().hidden) renderOptions();
    changed();
  }

  function renderChips() {
    const chips = document.getElementById('chips');
    chips.textContent = '';
    for (const id of state.countries) {
      const country = byId.get(id);
      const chip = document.createElement('li');
      chip.className = 'chip' + (country?.kind === 'other' ? ' other' : '');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = colorOf(id);
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = '×';
      remove.dataset.id = id;
      remove.setAttribute('aria-label', 'Remove ' + nameOf(id));
      remove.disabled = state.countries.length === 1;
      chip.append(swatch, document.createTextNode(nameOf(id)), remove);
      chips.append(chip);
    }
  }

  function setupPicker() {
    const input = search();
    input.addEventListener('focus', () => byId.size && openOptions(true));
    input.addEventListener('input', () => openOptions(true));
    input.addEventListener('keydown', (event) => {
      const open = !listbox().hidden;
      if (event.key === 'ArrowDown') {
        event.preventDefault();
        if (!open) openOptions(true);
        else setActive(active + 1);
      } else if (event.key === 'ArrowUp') {
        event.preventDefault();
        setActive(active - 1);
      } else if (event.key === 'Enter' && open && options()[active]) {
        event.preventDefault();
        toggleCountry(options()[active].dataset.id);
      } else if (event.key === 'Escape') {
        openOptions(false);
      } else if (event.key === 'Backspace' && !input.value && state.countries.length > 1) {
        toggleCountry(state.countries[state.countries.length - 1]);
      }
    });
    listbox().addEventListener('mousedown', (event) => event.preventDefault());
    listbox().addEventListener('click', (event) => {
      const option = event.target.closest('[role="option"]');
      if (option) toggleCountry(option.dataset.id);
    });
    document.getElementById('chips').addEventListener('click', (event) => {
      const button = event.target.closest('button');
      if (button) toggleCountry(button.dataset.id);
    });
    input.addEventListener('blur', () => openOptions(false));
  }

  // ---- CSV download: saved only when the answer is a CSV; otherwise the page says why ------
  function showAlert(message) {
    const element = document.getElementById('download-error');
    element.hidden = !message;
    element.textContent = message || '';
  }

  async function download(event) {
    event.preventDefault();
    const link = event.currentTarget;
    try {
      const response = await fetch(link.href);
      const type = response.headers.get('content-type') || '';
      if (!response.ok || !type.startsWith('text/csv')) {
        const body = await response.json().catch(() => ({}));
        throw new Error(body.message || 'HTTP ' + response.status);
      }
      const url = URL.createObjectURL(await response.blob());
      const save = document.createElement('a');
      save.href = url;
      save.download = link.download;
      document.body.append(save);
      save.click();
      save.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      showAlert(null);
    } catch (error) {
      showAlert('Download failed, nothing was saved: ' + error.message);
    }
  }

  // ---- controls ---------------------------------------------------------------------------
  function setupControls() {
    setupPicker();
    document.getElementById('download').addEventListener('click', download);
    for (const group of document.querySelectorAll('.segmented[data-key]')) {
      group.addEventListener('click', (event) => {
        const button = event.target.closest('button');
        if (!button || state[group.dataset.key] === button.dataset.value) return;
        state[group.dataset.key] = button.dataset.value;
        changed();
      });
    }

    document.getElementById('range-buttons').addEventListener('click', (event) => {
      const button = event.target.closest('button');
      if (!button || !shown.length) return;
      if (button.dataset.months === 'all') {
        state.from = null;
        state.to = null;
      } else {
        const last = shown[0].rows[shown[0].rows.length - 1].date;
        const end = state.to && state.to < last ? state.to : last;
        const start = new Date(end + 'T00:00:00Z');
        start.setUTCMonth(start.getUTCMonth() - Number(button.dataset.months));
        state.from = shiftDay(start.toISOString().slice(0, 10), 1).slice(0, 10);
        state.to = end;
      }
      changed();
    });
  }

  function changed() {
    showAlert(null);
    writeState();
    render();
  }

  /** Range changes made in the chart itself (range slider, zoom, double-click) go to the URL. */
  function onRelayout(event) {
    const keys = Object.keys(event);
    if (
      !shown.length ||
      !keys.some((key) => key.startsWith('xaxis.range') || key === 'xaxis.autorange')
    )
      return;
    const [start, end] = chart.layout.xaxis.range.map(toMs);
    const first = shown[0].rows[0].date;
    const last = shown[0].rows[shown[0].rows.length - 1].date;
    const from = new Date(Math.ceil(start / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
    const to = new Date(Math.floor(end / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
    const full = from <= first && to >= last;
    state.from = full ? null : from;
    state.to = full ? null : to;
    writeState();
    autoscaleY().then(updateText);
  }

  /** The colour mixed with white: bars stay light so the average line reads over them. */
  function tint(hex, amount) {
    const mix = (i) => {
      const channel = parseInt(hex.slice(i, i + 2), 16);
      return Math.round(channel + (255 - channel) * amount)
        .toString(16)
        .padStart(2, '0');
    };
    return '#' + mix(1) + mix(3) + mix(5);
  }

  function toMs(value) {
    const text = String(value);
    return Date.parse((text.length === 10 ? text + 'T00:00' : text.replace(' ', 'T')) + 'Z');
  }

  function shiftDay(iso, days) {
    return new Date(Date.parse(iso + 'T00:00:00Z') + days * DAY_MS)
      .toISOString()
      .replace('T', ' ')
      .slice(0, 16);
  }

  document.addEventListener('DOMContentLoaded', () => {
    chart = document.getElementById('chart');
    setupControls();
    showSource();
    render().then(() => {
      chart.on('plotly_relayout', onRelayout);
      // Showing or hiding a trace from the legend changes what the y axis must fit.
      chart.on('plotly_restyle', () => autoscaleY());
    });
  });
})();
