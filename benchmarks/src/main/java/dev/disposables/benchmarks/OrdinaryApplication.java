package dev.disposables.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import jakarta.annotation.PreDestroy;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Scope;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An ordinary application, the shape most users run: a web server, a connection pool with
 * open connections, Boot's task executor and scheduler, a few executors of its own,
 * file-backed caches, a listening socket, beans with {@code @PreDestroy} and
 * {@code DisposableBean}, and a few prototypes held by a singleton; about twenty beans,
 * every one of them quick to close. {@link OrdinaryShutdownBenchmark} starts it in a
 * fresh JVM, with and without the starter, and times SIGTERM to exit.
 *
 * <p>
 * Run by hand: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.disposables.benchmarks.OrdinaryApplication --disposables.enabled=true}. It prints
 * {@value #READY} and its port once it is ready.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableScheduling
public class OrdinaryApplication {

	/** What the application prints once it is ready, followed by its port. */
	static final String READY = "ORDINARY-READY ";

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(OrdinaryApplication.class);
		// Tomcat, as most applications: the benchmarks' class path has the reactive stack
		// too.
		application.setWebApplicationType(WebApplicationType.SERVLET);
		Map<String, Object> properties = Apps.quiet();
		properties.put("server.port", "0");
		properties.put("spring.main.banner-mode", "off");
		application.setDefaultProperties(properties);
		application.run(args);
	}

	@EventListener
	void ready(ApplicationReadyEvent event) {
		Environment environment = event.getApplicationContext().getEnvironment();
		System.out.println(READY + environment.getProperty("local.server.port"));
	}

	@Bean(destroyMethod = "close")
	HikariDataSource dataSource() {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl("jdbc:h2:mem:ordinary;DB_CLOSE_DELAY=-1");
		dataSource.setUsername("sa");
		dataSource.setMinimumIdle(4);
		dataSource.setMaximumPoolSize(4);
		return dataSource;
	}

	@Bean
	JdbcTemplate jdbcTemplate(DataSource dataSource) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		jdbc.execute("create table if not exists greeting (id int primary key, text varchar(40))");
		jdbc.update("merge into greeting key (id) values (1, 'hello')");
		return jdbc;
	}

	@Bean(destroyMethod = "shutdown")
	ExecutorService ioExecutor() {
		return started(Executors.newFixedThreadPool(2));
	}

	@Bean(destroyMethod = "shutdown")
	ExecutorService cpuExecutor() {
		return started(Executors.newFixedThreadPool(2));
	}

	@Bean(destroyMethod = "shutdown")
	ScheduledExecutorService housekeeping() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
		executor.scheduleAtFixedRate(() -> {
		}, 1, 1, TimeUnit.SECONDS);
		return executor;
	}

	@Bean
	FileCache userCache() throws IOException {
		return new FileCache("users");
	}

	@Bean
	FileCache productCache() throws IOException {
		return new FileCache("products");
	}

	@Bean
	FileCache sessionCache() throws IOException {
		return new FileCache("sessions");
	}

	@Bean
	Listener metricsListener() throws IOException {
		return new Listener();
	}

	@Bean
	Flusher auditFlusher() {
		return new Flusher();
	}

	@Bean
	Flusher statsFlusher() {
		return new Flusher();
	}

	@Bean
	Flusher eventFlusher() {
		return new Flusher();
	}

	@Bean
	Registration serviceRegistration() {
		return new Registration();
	}

	@Bean
	Registration healthRegistration() {
		return new Registration();
	}

	@Bean
	@Scope("prototype")
	Session session() {
		return new Session();
	}

	@Bean
	SessionHolder sessionHolder(ObjectProvider<Session> sessions) {
		return new SessionHolder(sessions.getObject(), sessions.getObject(), sessions.getObject());
	}

	@Bean
	Ticker ticker() {
		return new Ticker();
	}

	private static ExecutorService started(ExecutorService executor) {
		executor.submit(() -> {
		});
		return executor;
	}

	/**
	 * The endpoint the benchmark calls once before it stops the application.
	 */
	@RestController
	static class GreetingController {

		private final JdbcTemplate jdbc;

		GreetingController(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@GetMapping("/")
		String greeting() {
			return this.jdbc.queryForObject("select text from greeting where id = 1", String.class);
		}

	}

	/**
	 * A cache backed by a temporary file, deleted on close.
	 */
	static final class FileCache implements AutoCloseable {

		private final Path file;

		private final FileChannel channel;

		FileCache(String name) throws IOException {
			this.file = Files.createTempFile("ordinary-" + name, ".cache");
			this.channel = FileChannel.open(this.file, StandardOpenOption.WRITE);
		}

		@Override
		public void close() throws IOException {
			this.channel.close();
			Files.deleteIfExists(this.file);
		}

	}

	/**
	 * A listening socket, as a metrics or admin port would be.
	 */
	static final class Listener implements AutoCloseable {

		private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

		Listener() throws IOException {
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

	/**
	 * Flushes what it buffered before the application ends.
	 */
	static final class Flusher {

		private final Map<String, Integer> buffered = new ConcurrentHashMap<>(Map.of("started", 1));

		@PreDestroy
		void flush() {
			this.buffered.clear();
		}

	}

	/**
	 * Deregisters the application from a registry it announced itself to.
	 */
	static final class Registration implements DisposableBean {

		private volatile boolean registered = true;

		@Override
		public void destroy() {
			this.registered = false;
		}

	}

	/**
	 * A prototype resource; Spring never closes prototypes, the starter does.
	 */
	static final class Session implements AutoCloseable {

		private volatile boolean open = true;

		@Override
		public void close() {
			this.open = false;
		}

	}

	/**
	 * Holds the prototypes.
	 *
	 * @param first a prototype
	 * @param second another
	 * @param third a third
	 */
	record SessionHolder(Session first, Session second, Session third) {
	}

	/**
	 * A scheduled task, so that Boot's task scheduler runs.
	 */
	static final class Ticker {

		@Scheduled(fixedRate = 1000)
		void tick() {
		}

	}

}
