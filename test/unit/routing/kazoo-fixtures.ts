// The routing-relevant fields of the resources in stepswitch's eunit fixtures (applications/stepswitch/test/
// global_resources.json, local_resources.json, fixtures/resources/global.json), which routing-spec cases
// kz-global-fixture-*, kz-fixture-* name. Only ids, names, classifiers, rules, flags, weights and gateways are kept.
import type { Doc } from './support.ts';

export const KZ_ACCOUNT = 'e6ed490b996152f639c4118f8c21d4bb';

/** global_resources.json, as CouchDB view rows (the loader unwraps `doc`). */
export const KZ_GLOBAL_ROWS: Doc[] = [
  {
    id: '7e6ab78098a1a788019a54ed4f51ba82', key: '7e6ab78098a1a788019a54ed4f51ba82', value: 'Flowroute Int.',
    doc: {
      _id: '7e6ab78098a1a788019a54ed4f51ba82', name: 'Flowroute Int.', enabled: true, emergency: false, flags: [], rules: [], weight_cost: 50,
      classifiers: { international: { enabled: true, prefix: '', suffix: '' } }, pvt_type: 'resource',
      gateways: [{ server: 'sip.flowroute.com', port: 5060, enabled: true, invite_format: 'route', username: 'LGN', password: 'PWD' }],
    },
  },
  {
    id: 'd4bc772163c9ab2ebc4ee79637ae3433', key: 'd4bc772163c9ab2ebc4ee79637ae3433', value: 'FlowRoute Domestic',
    doc: {
      _id: 'd4bc772163c9ab2ebc4ee79637ae3433', name: 'FlowRoute Domestic', enabled: true, emergency: false, flags: ['fax'], rules: [], weight_cost: 50,
      classifiers: { did_us: { enabled: true, prefix: '+1', suffix: '' }, tollfree_us: { enabled: true, prefix: '+1', suffix: '' } }, pvt_type: 'resource',
      gateways: [{ server: 'sip.flowroute.com', port: 5060, enabled: true, invite_format: 'route', username: 'LGN', password: 'PWD' }],
    },
  },
  {
    id: 'd60be7f888d8b7d937a846e07b927886', key: 'd60be7f888d8b7d937a846e07b927886', value: 'Dash 911',
    doc: {
      _id: 'd60be7f888d8b7d937a846e07b927886', name: 'Dash 911', enabled: true, emergency: true, caller_id_options: { type: 'emergency' },
      flags: ['CallerID', 'CNAM', 'US48', 'Alaska', 'Hawaii', 'TollFree'], rules: ['^\\+{0,1}(933)$', '^\\+{0,1}(911)$'], weight_cost: 0,
      classifiers: { emergency: { enabled: true, prefix: '', suffix: '' } }, pvt_type: 'resource',
      gateways: [
        { server: '42.42.42.42;fs_path=sip:42.42.42.43', port: 5060, enabled: true, invite_format: 'route', realm: '42.42.42.42', username: 'login' },
        { server: '208.94.159.10;fs_path=sip:42.42.42.44', port: 5060, enabled: true, invite_format: 'route', realm: '42.42.42.42', username: '2600hz' },
      ],
    },
  },
];

const local = (id: string, name: string, weight: number, extra: Doc, server: string, enabled = true): Doc => ({
  _id: id, name, enabled, emergency: false, flags: [], rules: [], weight_cost: weight, pvt_type: 'resource', pvt_account_id: KZ_ACCOUNT,
  gateways: [{ server, port: 5060, enabled: true, invite_format: 'route' }], ...extra,
});

/** local_resources.json (the documents of account e6ed…). */
export const KZ_LOCAL: Doc[] = [
  local('1c30a2ada029e2b31654ae2c3937b04c', 'ccaacacaccc', 2, {
    classifiers: {
      caribbean: { enabled: false, prefix: '111', suffix: '' },
      did_us: { enabled: true, prefix: '', suffix: '' },
      unknown: { enabled: true, prefix: '111', regex: '^(.{10})$', suffix: '' },
    },
  }, '10.0.1.2'),
  local('6365415261d12830250e11116743f42a', 'TLNX', 1, { classifiers: { toll_us: { enabled: true, prefix: '', suffix: '' } } }, '10.0.1.9'),
  local('66f10c653f8e65e0e16f0ba6788bfe95', 'Bandwidth Template', 5, { classifiers: { caribbean: { enabled: true, prefix: '', suffix: '' } } }, '10.0.0.10'),
  local('c9bb38dfdff0f4738636e7beac700d3b', 'voipin', 3, { classifiers: { tollfree_us: { enabled: true, prefix: '', suffix: '' } } }, '10.0.1.111', false),
  local('ea2d868dad3629254d57d5a1f6a69cde', 'LVL3', 4, {}, '10.0.1.4'),
];

/** fixtures/resources/global.json: Resource001 with a gateway `route` and three classifiers. */
export const KZ_RESOURCE001: Doc = {
  _id: 'resource000000000000000000000001', name: 'Resource001', enabled: true, emergency: false, flags: ['fax', 'testing'], require_flags: false,
  rules: ['^\\+1((?:844)\\d{7})$'], weight_cost: 1, formatters: {}, pvt_type: 'resource',
  classifiers: {
    did_us: { enabled: true, prefix: '', suffix: '' },
    toll_us: { enabled: true, prefix: '+1', suffix: '' },
    tollfree_us: { enabled: true, prefix: '+1', suffix: '' },
  },
  gateways: [{
    server: '127.0.0.1', port: 5060, enabled: true, invite_format: 'route', prefix: '9999#', suffix: '#9999', route: '+14158867900@2600hz.local',
    realm: 'carrier.2600hz.local', username: 'gateway001resource001username', custom_sip_interface: 'sipinterface_2',
  }],
};
