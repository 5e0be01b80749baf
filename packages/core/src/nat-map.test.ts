import { natMapped } from './nat-map';

describe('natMapped', () => {
  it('should map an address through an object or a function, and leave others as they are', () => {
    const to = { host: '127.0.0.1', port: 17000 };
    expect(natMapped({ '10.0.0.1:7000': to }, '10.0.0.1:7000')).toBe('127.0.0.1:17000');
    expect(natMapped({ '10.0.0.1:7000': to }, '10.0.0.2:7000')).toBe('10.0.0.2:7000');
    expect(natMapped((key) => (key === '10.0.0.1:7000' ? to : null), '10.0.0.1:7000')).toBe('127.0.0.1:17000');
    expect(natMapped((key) => (key === '10.0.0.1:7000' ? to : null), '10.0.0.3:7000')).toBe('10.0.0.3:7000');
    expect(natMapped(undefined, '10.0.0.1:7000')).toBe('10.0.0.1:7000');
  });
});
