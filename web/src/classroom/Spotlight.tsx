import { getTopology } from '../api/lab';
import { connectLive } from '../live/client';
import { followServerTopology } from '../live/topology-sync';
import { useLab } from '../store';

/** The attendee a spotlight page shows (`/w/<name>/?spotlight=<display name>`), if this page is one. */
export function spotlightRequested(search = location.search): string | undefined {
  return new URLSearchParams(search).get('spotlight') ?? undefined;
}

/**
 * The instructor shows an attendee's lab on the projector: their live feed and topology, large (presenter
 * mode), and read-only: nothing is saved, and every command is refused before it leaves the page.
 */
export function openSpotlight(name: string): void {
  useLab.setState({ spotlight: true, presenter: true });
  document.title = `Spotlight: ${name}`;
  connectLive();
  followServerTopology();
  void getTopology().then(
    (doc) => {
      useLab.getState().loadSaved(doc);
      useLab.getState().requestFit();
    },
    (error: Error) => useLab.getState().notify(`Could not load the attendee's topology: ${error.message}`, 'error'),
  );
}

/** Says whose lab this is, above the canvas. */
export function SpotlightBanner() {
  const on = useLab((s) => s.spotlight);
  if (!on) return null;
  return (
    <p className="spotlight-banner" role="status">
      Spotlight: <strong>{spotlightRequested()}</strong>’s lab, live and read-only
    </p>
  );
}
