# The mesh CLI as an image, for docker-compose.yml. Build the jars first: ./mvnw -DskipTests install
FROM eclipse-temurin:17-jre
WORKDIR /opt/meshwork
COPY launcher/target/lib ./lib
COPY launcher/target/mesh.jar ./mesh.jar
COPY topology/three-regions.yaml ./three-regions.yaml
ENTRYPOINT ["java", "-jar", "/opt/meshwork/mesh.jar"]
