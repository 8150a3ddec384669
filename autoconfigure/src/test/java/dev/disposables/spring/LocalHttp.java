package dev.disposables.spring;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Requests to the embedded server of a web test, through a real HTTP connection: the
 * request scope's end is tied to the servlet container's request, which a mock request
 * would not reproduce.
 */
final class LocalHttp {

	private LocalHttp() {
	}

	/**
	 * Sends a GET and waits for the whole response.
	 * @param port the server's port
	 * @param path the path, with a leading slash
	 * @return the response
	 * @throws IOException if the request cannot be sent
	 * @throws InterruptedException if interrupted while waiting
	 */
	static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
	}

}
