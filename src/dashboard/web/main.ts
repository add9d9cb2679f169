/// <reference lib="dom" />
/** The dashboard page: three views over one shared, live run store. */
import './style.css';
import { mountCurves } from './curves.js';
import { mountRunList } from './run-list.js';
import { mountScenario } from './scenario-view.js';
import { store } from './store.js';

const views = ['runs', 'curves', 'scenario'] as const;
type View = (typeof views)[number];

const byId = (id: string): HTMLElement => document.getElementById(id)!;
const curves = mountCurves(byId('view-curves'));
const scenario = mountScenario(byId('view-scenario'));

function show(view: View): void {
  for (const v of views) {
    byId(`view-${v}`).classList.toggle('active', v === view);
    document.querySelector(`#tabs button[data-view="${v}"]`)?.classList.toggle('active', v === view);
  }
  if (location.hash !== `#${view}`) history.replaceState(null, '', `#${view}`);
  if (view === 'curves') curves.shown();
  if (view === 'scenario') scenario.shown();
}

mountRunList(byId('view-runs'), () => show('curves'));
document.querySelectorAll<HTMLButtonElement>('#tabs button').forEach((b) => b.addEventListener('click', () => show(b.dataset['view'] as View)));

const live = byId('live');
store.onRuns(() => {
  live.textContent = store.liveState === 'live' ? '● live' : store.liveState === 'offline' ? '○ reconnecting' : 'connecting…';
  live.className = `live ${store.liveState}`;
});

void store.load().then(() => {
  store.connect();
  const initial = location.hash.slice(1) as View;
  show(views.includes(initial) ? initial : 'runs');
}).catch((err: Error) => {
  byId('view-runs').textContent = `Cannot reach the dashboard server: ${err.message}`;
});
