import { movedTarget } from './moved-target';

describe('movedTarget', () => {
  it('should read the node of a MOVED error, with the answering host for an empty one', () => {
    expect(movedTarget('MOVED 3999 127.0.0.1:7001', '127.0.0.1:7000')).toBe('127.0.0.1:7001');
    expect(movedTarget('MOVED 3999 :7001', '10.0.0.5:7000')).toBe('10.0.0.5:7001');
    expect(movedTarget('MOVED 3999 ::1:7001', '[::1]:7000')).toBe('::1:7001');
  });

  it('should give null for other errors and for a MOVED to the answering node itself', () => {
    expect(movedTarget('ASK 3999 127.0.0.1:7001', '127.0.0.1:7000')).toBeNull();
    expect(movedTarget('NOPERM this user has no permissions', '127.0.0.1:7000')).toBeNull();
    expect(movedTarget('MOVED 3999 127.0.0.1:7000', '127.0.0.1:7000')).toBeNull();
  });
});
