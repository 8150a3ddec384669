/**
 * Built-in {@link dev.disposables.spring.DisposalAdapter}s for the resources applications
 * commonly hold: Netty event executor groups, R2DBC connection pools, Lettuce clients,
 * gRPC channels and servers, Reactor disposables and schedulers, Apache HttpClient 5
 * async clients, DataStax sessions and OkHttp clients. Each class uses one optional
 * library and is created only when that library is on the class path.
 */
@NullMarked
package dev.disposables.spring.adapter;

import org.jspecify.annotations.NullMarked;
