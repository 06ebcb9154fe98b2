// The dashboard page: reads the view from the URL, fetches series from /api/series, draws them
// with Plotly and writes every change of view back to the URL so it can be shared.
/* global document, location, history, fetch, performance, URLSearchParams, Plotly */
'use strict';

(function () {
  const COUNTRIES = JSON.parse(document.getElementById('countries-data').textContent);
  const PALETTE = [
    '#1f6fb2',
    '#e07b00',
    '#2a9d5c',
    '#8e44ad',
    '#b5651d',
    '#00838f',
    '#6d4c41',
    '#d81b60',
    '#546e7a',
    '#7cb342',
    '#3949ab',
    '#f4511e',
    '#00897b',
    '#5e35b1',
    '#c9a100',
    '#6a1b9a',
    '#0097a7',
  ];
  const CORRECTION = '#d62728';
  const DAY_MS = 86400000;
  const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
  const WORD = { confirmed: 'cases', deaths: 'deaths' };
  const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });

  const canonical = new Map(COUNTRIES.map((name) => [name.toLowerCase(), name]));
  const colorOf = (name) => PALETTE[COUNTRIES.indexOf(name) % PALETTE.length];
  const formatDate = (iso) => DATE_FORMAT.format(new Date(iso + 'T00:00:00Z'));

  // ---- view state, kept in the URL ----------------------------------------------------------
  const ignored = [];
  const state = readState(location.search);

  function readState(search) {
    const params = new URLSearchParams(search);
    const countries = [];
    for (const raw of (params.get('countries') || '').split(',')) {
      const name = canonical.get(raw.trim().toLowerCase());
      if (name && !countries.includes(name)) countries.push(name);
      else if (raw.trim() && !name) ignored.push(raw.trim());
    }
    const date = (key) => {
      const value = params.get(key) || '';
      return ISO_DATE.test(value) && !Number.isNaN(Date.parse(value)) ? value : null;
    };
    let from = date('from');
    let to = date('to');
    if (from && to && from > to) [from, to] = [null, null];
    return {
      countries: countries.length ? countries : ['Singapore'],
      metric: params.get('metric') === 'cumulative' ? 'cumulative' : 'daily',
      status: params.get('status') === 'deaths' ? 'deaths' : 'confirmed',
      scale: params.get('scale') === 'log' ? 'log' : 'linear',
      from,
      to,
    };
  }

  function query(extra) {
    const parts = ['countries=' + state.countries.map(encodeURIComponent).join(',')];
    for (const [key, value] of Object.entries(extra)) {
      if (value) parts.push(key + '=' + encodeURIComponent(value));
    }
    return parts.join('&');
  }

  function writeState() {
    const search = query({
      metric: state.metric,
      status: state.status === 'confirmed' ? null : state.status,
      scale: state.scale === 'linear' ? null : state.scale,
      from: state.from,
      to: state.to,
    });
    history.replaceState(null, '', '?' + search);
    const link = document.getElementById('download');
    link.href =
      '/api/export.csv?' + query({ metric: state.status, from: state.from, to: state.to });
    link.download =
      ['covid', ...state.countries, state.status].join('-').replace(/\W+/g, '-') + '.csv';
  }

  // ---- data -------------------------------------------------------------------------------
  const cache = new Map();

  function load(country, status) {
    const key = country + '|' + status;
    if (!cache.has(key)) {
      const url = '/api/series?country=' + encodeURIComponent(country) + '&metric=' + status;
      cache.set(
        key,
        fetch(url).then(async (response) => {
          const body = await response.json();
          if (!response.ok) throw new Error(body.message || 'HTTP ' + response.status);
          return body;
        }),
      );
    }
    return cache.get(key);
  }

  // Start the requests now: they overlap with downloading and parsing Plotly.
  const meta = fetch('/api/countries').then((response) => response.json());
  for (const country of state.countries) load(country, state.status);

  // ---- drawing ----------------------------------------------------------------------------
  let chart;
  let shown = [];
  let renderSeq = 0;
  let renders = 0;

  function traces(series) {
    const single = series.length === 1;
    const word = WORD[state.status];
    const out = [];
    const marks = [];
    // On a phone, comparing countries draws only the average lines: hidden bars would still
    // take legend rows from a small chart.
    const bars = single || chart.clientWidth >= 560;
    for (const { country, rows } of series) {
      const color = colorOf(country);
      const x = rows.map((row) => row.date);
      const negatives = rows.filter((row) => row.daily !== null && row.daily < 0);
      if (state.metric === 'daily') {
        if (bars) {
          out.push({
            type: 'bar',
            name: single ? 'New ' + word + ' per day' : country + ' daily',
            x,
            y: rows.map((row) => row.daily),
            marker: {
              color: rows.map((row) => (row.daily < 0 ? CORRECTION : tint(color, 0.6))),
            },
            visible: single ? true : 'legendonly',
            hovertemplate: (single ? 'New ' + word : country + ' new') + ': %{y:,}<extra></extra>',
            meta: { country, kind: 'daily' },
          });
        }
        out.push({
          type: 'scatter',
          mode: 'lines',
          name: single ? '7-day average' : country,
          x,
          y: rows.map((row) => row.avg7),
          line: { color, width: 2.5 },
          hovertemplate: (single ? '' : country + ' ') + '7-day average: %{y:,.1f}<extra></extra>',
          meta: { country, kind: 'avg7' },
        });
      } else {
        out.push({
          type: 'scatter',
          mode: 'lines',
          name: country,
          x,
          y: rows.map((row) => row.cumulative),
          line: { color, width: 2.5 },
          hovertemplate: country + ' total: %{y:,}<extra></extra>',
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
          y: negatives.map((row) => (state.metric === 'daily' ? row.daily : row.cumulative)),
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

  function xRange() {
    if (!state.from && !state.to) return null;
    const first = shown.length ? shown[0].rows[0].date : state.from;
    const last = shown.length ? shown[0].rows[shown[0].rows.length - 1].date : state.to;
    // Half a day either side so the first and last bars are drawn whole.
    return [shiftDay(state.from || first, -0.5), shiftDay(state.to || last, 0.5)];
  }

  function layout(range, yRange) {
    const word = WORD[state.status];
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
        title: { text: state.metric === 'daily' ? 'New ' + word + ' per day' : 'Total ' + word },
        tickformat: '~s',
        gridcolor: '#e6ebf0',
        zerolinecolor: '#9aa7b4',
        automargin: true,
        fixedrange: false,
      },
    };
  }

  async function render() {
    const seq = ++renderSeq;
    let series;
    try {
      series = await Promise.all(
        state.countries.map((country) =>
          load(country, state.status).then((rows) => ({ country, rows })),
        ),
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
    if (renders === 0 && yRange && data.some((trace) => trace.type === 'bar')) {
      // Plotly draws a new chart twice: the second time with the margins its axis labels and
      // range slider turned out to need. Drawing the frame without the bars first lets that
      // happen cheaply; the chart with its 2 × 1,143 bars is then drawn once.
      await Plotly.react(chart, data.map(withoutBars), layout(range, yRange), config);
    }
    await Plotly.react(chart, data, layout(range, yRange), config);
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
    const span = Math.max(max - low, 1);
    return [low - (min < 0 ? span * 0.05 : 0), max + span * 0.06];
  }

  async function autoscaleY() {
    const yRange = yRangeFor(chart.data, chart.layout.xaxis.range.map(toMs));
    if (yRange) await Plotly.relayout(chart, { 'yaxis.range': yRange, 'yaxis.autorange': false });
  }

  // ---- text around the chart --------------------------------------------------------------
  function updateText() {
    const names = state.countries;
    const word = WORD[state.status];
    const title =
      names.length === 1
        ? 'COVID-19 in ' + names[0]
        : names.length <= 3
          ? 'COVID-19: ' + names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1]
          : 'COVID-19 in ' + names.length + ' countries';
    const what =
      state.metric === 'daily'
        ? 'New ' +
          (state.status === 'confirmed' ? 'confirmed cases' : 'deaths') +
          ' per day, with the 7-day average'
        : 'Cumulative ' + (state.status === 'confirmed' ? 'confirmed cases' : 'deaths');
    const [from, to] = visibleDates();
    document.getElementById('title').textContent = title;
    document.getElementById('subtitle').textContent =
      what + ' · ' + formatDate(from) + ' – ' + formatDate(to);
    document.title = title + ' · ' + what;
    chart.setAttribute('aria-label', 'Chart: ' + title + ', ' + what.toLowerCase());
    document.getElementById('country-summary').textContent =
      names.length === 1 ? names[0] : names.length + ' countries';
    for (const group of document.querySelectorAll('.segmented[data-key]')) {
      for (const button of group.querySelectorAll('button')) {
        button.setAttribute(
          'aria-pressed',
          String(state[group.dataset.key] === button.dataset.value),
        );
      }
    }

    const notes = [];
    if (ignored.length)
      notes.push('Unknown country in the link, ignored: ' + ignored.join(', ') + '.');
    const corrections = [];
    let hiddenOnLog = 0;
    for (const { country, rows } of shown) {
      let count = 0;
      for (const row of rows) {
        if (row.date < from || row.date > to) continue;
        if (row.daily !== null && row.daily < 0) count++;
        const value = state.metric === 'daily' ? row.daily : row.cumulative;
        if (state.scale === 'log' && value !== null && value <= 0) hiddenOnLog++;
      }
      if (count) corrections.push(country + ' ' + count);
    }
    notes.push(
      corrections.length
        ? '▼ Red marks days when the published total fell (data corrections by JHU), shown as negative ' +
            word +
            ': ' +
            corrections.join(', ') +
            ' in view.'
        : 'No day in view where the published total fell.',
    );
    if (state.metric === 'daily') {
      notes.push(
        'The 7-day average is the mean of the day and the 6 days before; corrections count as they are.',
      );
    }
    if (hiddenOnLog)
      notes.push('Log scale: ' + hiddenOnLog + ' days with zero or negative values are not drawn.');
    showNotes(notes, false);
  }

  function showNotes(lines, isError) {
    const notes = document.getElementById('notes');
    notes.textContent = lines.join(' ');
    notes.classList.toggle('error', isError);
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
      const info = await meta;
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

  // ---- controls ---------------------------------------------------------------------------
  function setupControls() {
    const list = document.getElementById('country-list');
    for (const name of COUNTRIES) {
      const label = document.createElement('label');
      label.className = 'country';
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = name;
      box.checked = state.countries.includes(name);
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = colorOf(name);
      label.append(box, swatch, document.createTextNode(name));
      list.append(label);
    }
    const syncBoxes = () => {
      for (const box of list.querySelectorAll('input')) {
        box.disabled = box.checked && state.countries.length === 1;
      }
    };
    syncBoxes();
    list.addEventListener('change', (event) => {
      const box = event.target;
      if (box.checked) state.countries.push(box.value);
      else state.countries = state.countries.filter((name) => name !== box.value);
      syncBoxes();
      changed();
    });
    const picker = document.getElementById('country-picker');
    document.addEventListener('click', (event) => {
      if (picker.open && !picker.contains(event.target)) picker.open = false;
    });

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
    writeState();
    render();
  }

  /** Range changes made in the chart itself (range slider, zoom, double-click) go to the URL. */
  function onRelayout(event) {
    const keys = Object.keys(event);
    if (!keys.some((key) => key.startsWith('xaxis.range') || key === 'xaxis.autorange')) return;
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
    writeState();
    showSource();
    render().then(() => {
      chart.on('plotly_relayout', onRelayout);
      // Showing or hiding a trace from the legend changes what the y axis must fit.
      chart.on('plotly_restyle', () => autoscaleY());
    });
  });
})();
