// Draws GET /organic-share as one line per country; weeks resting on missing data are hollow.
'use strict';

(function () {
  const form = document.getElementById('filters');
  const status = document.getElementById('status');
  const chart = document.getElementById('chart');
  const FULL_WINDOW = 4;

  function filtersFromLocation() {
    const params = new URLSearchParams(window.location.search);
    for (const name of ['country', 'from', 'to'])
      form.elements[name].value = params.get(name) || '';
    return params;
  }

  function tracesFor(weeks) {
    const byCountry = new Map();
    for (const week of weeks) {
      if (!byCountry.has(week.country)) byCountry.set(week.country, []);
      byCountry.get(week.country).push(week);
    }
    return [...byCountry.entries()].map(([country, rows]) => ({
      type: 'scatter',
      mode: 'lines+markers',
      name: country,
      meta: { country },
      connectgaps: false,
      x: rows.map((row) => row.weekStart),
      y: rows.map((row) => row.shareOrganicP4w),
      customdata: rows.map((row) => [
        `${row.year}-W${String(row.week).padStart(2, '0')}`,
        row.weeksWithDataP4w,
        row.organicUsersP4w,
        row.totalUsersP4w,
      ]),
      hovertemplate:
        `${country} %{customdata[0]}<br>share %{y:.1%}<br>` +
        'organic %{customdata[2]} of %{customdata[3]}<br>weeks with data: %{customdata[1]} of 4<extra></extra>',
      marker: {
        size: rows.map((row) => (row.weeksWithDataP4w < FULL_WINDOW ? 9 : 6)),
        symbol: rows.map((row) => (row.weeksWithDataP4w < FULL_WINDOW ? 'circle-open' : 'circle')),
        line: { width: 2 },
      },
    }));
  }

  async function draw(params) {
    status.textContent = '';
    const query = new URLSearchParams();
    for (const name of ['country', 'from', 'to'])
      if (params.get(name)) query.set(name, params.get(name));
    const response = await fetch(`../organic-share?${query}`, {
      headers: { Accept: 'application/json' },
    });
    const body = await response.json();
    if (!response.ok) {
      status.textContent = Array.isArray(body.message) ? body.message.join('; ') : body.message;
      return;
    }
    if (body.weeks.length === 0) status.textContent = 'No weeks published yet for this selection.';
    const traces = tracesFor(body.weeks);
    traces.push({
      type: 'scatter',
      mode: 'markers',
      name: 'rests on < 4 weeks of data',
      x: [null],
      y: [null],
      marker: { symbol: 'circle-open', size: 9, color: '#444', line: { width: 2 } },
      hoverinfo: 'skip',
    });
    await Plotly.react(
      chart,
      traces,
      {
        margin: { t: 20, r: 20, b: 50, l: 60 },
        yaxis: {
          title: { text: 'organic share (4 weeks)' },
          tickformat: '.0%',
          rangemode: 'tozero',
        },
        xaxis: { title: { text: 'ISO week (Monday)' } },
        legend: { orientation: 'h', y: -0.15 },
      },
      { displaylogo: false, responsive: true },
    );
    chart.dataset.renders = String(Number(chart.dataset.renders) + 1);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const name of ['country', 'from', 'to']) {
      const value = form.elements[name].value.trim();
      if (value) params.set(name, value);
    }
    history.replaceState(null, '', `?${params}`);
    draw(params).catch((error) => (status.textContent = String(error)));
  });

  window.addEventListener('DOMContentLoaded', () => {
    draw(filtersFromLocation()).catch((error) => (status.textContent = String(error)));
  });
})();
