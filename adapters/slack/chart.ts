/**
 * The organisers' chart: contributions per day by topic (stacked bars) and by language, drawn
 * with Chart.js on @napi-rs/canvas (Skia shipped inside the npm package: nothing is downloaded
 * or compiled at install time) and encoded as one PNG.
 *
 * Arabic and Sorani labels need a font with Arabic glyphs; Skia shapes them (joining, right to
 * left) when one is installed (DejaVu Sans, from the fonts-dejavu-core package, has them). Where
 * none is found, the chart is labelled in English with language codes (ar, ckb) and topic
 * numbers, rather than drawn as empty boxes.
 */
import { createCanvas, GlobalFonts, type Canvas } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import type { Locale, StatsAggregates } from '../../src/core/index.js';

Chart.register(...registerables);

const ARABIC_FONTS = ['DejaVu Sans', 'Noto Sans Arabic', 'Noto Naskh Arabic', 'Vazirmatn', 'Noto Sans'];
const COLOURS = ['#1b7a5a', '#d9822b', '#3b6ea8', '#a83b6e', '#6e6e6e'];
const WIDTH = 900;
const HEIGHT = 380;

/** The first installed font that can draw Arabic script, or null. */
export function arabicFont(): string | null {
  return ARABIC_FONTS.find((f) => GlobalFonts.has(f)) ?? null;
}

export interface ChartTexts {
  byDayTitle: string;
  byLanguageTitle: string;
  topicLabel: (n: number) => string;
  languageLabel: (l: Locale) => string;
}

export interface ChartInput {
  /** Counted by the database: per day (in the call's timezone) and topic, and by language. */
  aggregates: StatsAggregates;
  topics: number[];
  /** Texts in the organiser's language, and in English for when no Arabic font is installed. */
  texts: ChartTexts;
  fallbackTexts: ChartTexts;
}

function draw(config: ChartConfiguration, font: string): Canvas {
  const canvas = createCanvas(WIDTH, HEIGHT);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, WIDTH, HEIGHT);
  config.options = { ...config.options, responsive: false, animation: false, devicePixelRatio: 1, font: { family: font, size: 14 } } as never;
  // Chart.js draws on any 2D context with the canvas API; @napi-rs/canvas provides one.
  const chart = new Chart(ctx as unknown as ConstructorParameters<typeof Chart>[0], config);
  // destroy() clears the canvas it drew on: keep a copy of the drawing first.
  const copy = createCanvas(WIDTH, HEIGHT);
  copy.getContext('2d').drawImage(canvas, 0, 0);
  chart.destroy();
  return copy;
}

export async function renderStatsChart(input: ChartInput): Promise<{ png: Buffer; labels: 'names' | 'codes' }> {
  const font = arabicFont();
  const tx = font ? input.texts : input.fallbackTexts;
  Chart.defaults.font.family = font ?? 'sans-serif';
  const { days: perDay, groups } = input.aggregates;
  const days = [...new Set(perDay.map((d) => d.day))].sort();
  const count = (day: string, topic: number) => perDay.filter((d) => d.day === day && d.topic === topic).reduce((n, d) => n + d.count, 0);
  const active = groups.filter((g) => g.state !== 'withdrawn');
  const byDay = draw({
    type: 'bar',
    data: {
      labels: days,
      datasets: input.topics.map((topic, i) => ({
        label: tx.topicLabel(topic),
        backgroundColor: COLOURS[i % COLOURS.length],
        data: days.map((d) => count(d, topic)),
      })),
    },
    options: { plugins: { title: { display: true, text: tx.byDayTitle } }, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  }, font ?? 'sans-serif');
  const languages = [...new Set(active.map((g) => g.language as Locale))].sort();
  const byLanguage = draw({
    type: 'bar',
    data: {
      labels: languages.map((l) => tx.languageLabel(l)),
      datasets: [{ label: tx.byLanguageTitle, backgroundColor: COLOURS[2], data: languages.map((l) => active.filter((g) => g.language === l).reduce((n, g) => n + g.count, 0)) }],
    },
    options: { plugins: { title: { display: true, text: tx.byLanguageTitle }, legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  }, font ?? 'sans-serif');
  const both = createCanvas(WIDTH, HEIGHT * 2);
  const ctx = both.getContext('2d');
  ctx.drawImage(byDay, 0, 0);
  ctx.drawImage(byLanguage, 0, HEIGHT);
  return { png: await both.encode('png'), labels: font ? 'names' : 'codes' };
}
