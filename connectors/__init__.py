"""The connector framework: how the platform talks to every outside vendor (docs/adr/0020-connector-framework.md).

Registry of kinds and vendors (``registry``), connections with encrypted credentials
(``models``), the one outbound path with retries, idempotency keys, a circuit breaker
per connection and the call log (``calls``, ``breaker``), durable connector jobs
(``jobs``) and the inbound intake of vendor notifications (``intake``). Ports and
adapters live in the apps that own their meaning (``payments.providers`` for payments).
"""
