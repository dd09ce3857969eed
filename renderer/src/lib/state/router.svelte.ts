// Which screen is shown. Kept in the address hash (#/clusters) so reloads and the back button work.
export const VIEWS = [
  { id: 'clusters', label: 'Clusters' },
  { id: 'accounts', label: 'Accounts' },
  { id: 'resources', label: 'Resources' },
  { id: 'drafts', label: 'Drafts & sync' },
  { id: 'matrix', label: 'Overview' },
  { id: 'route', label: 'Route' },
  { id: 'numbers', label: 'Number lists' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'audit', label: 'Audit log' },
  { id: 'about', label: 'About' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

function fromHash(): { view: ViewId; param: string } {
  const [view, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const known = VIEWS.find((v) => v.id === view);
  return { view: known ? known.id : 'clusters', param: decodeURIComponent(rest.join('/')) };
}

class Router {
  view = $state<ViewId>(fromHash().view);
  /** Optional sub-path, e.g. a draft id in #/drafts/<id>. */
  param = $state(fromHash().param);

  constructor() {
    window.addEventListener('hashchange', () => {
      const next = fromHash();
      this.view = next.view;
      this.param = next.param;
    });
  }

  go(view: ViewId, param = ''): void {
    location.hash = `#/${view}${param ? '/' + encodeURIComponent(param) : ''}`;
  }
}

export const router = new Router();
